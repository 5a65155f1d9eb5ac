import { describe, expect, it } from 'vitest';
import { findPii, isResidentId, passesLuhn, redactSegments, redactText } from './redact.ts';

// 11010519491231002X: the GB 11643 example number (valid checksum); 6222021234567890128 passes Luhn.
const ID = '11010519491231002X';
const CARD = '6222021234567890128';

describe('personal data redaction', () => {
  it('replaces mobile numbers however they were written or spoken', () => {
    for (const said of ['13812345678', '138 1234 5678', '138-1234-5678', '+86 138 1234 5678', '一三八一二三四五六七八', '幺三八 幺二三四 五六七八', '１３８１２３４５６７８']) {
      const r = redactText(`我明天上午把合同发到 ${said} 这个微信上`);
      expect(r.text, said).toBe('我明天上午把合同发到 [手机号] 这个微信上');
      expect(r.counts).toEqual({ mobile: 1 });
    }
  });

  it('replaces resident ID numbers only when the checksum holds, and cards only when Luhn holds', () => {
    expect(isResidentId(ID)).toBe(true);
    expect(isResidentId('110105194912310021')).toBe(false);
    expect(redactText(`身份证号是${ID}，`).text).toBe('身份证号是[身份证号]，');
    expect(redactText('身份证号一一零一零五一九四九一二三一零零二叉').text).toBe('身份证号[身份证号]');
    expect(redactText('订单号 110105194912310021').text).toBe('订单号 110105194912310021');
    expect(passesLuhn(CARD)).toBe(true);
    expect(redactText(`打到卡号 ${CARD.replace(/(\d{4})/g, '$1 ').trim()} 上`).text).toBe('打到卡号 [银行卡号] 上');
    expect(redactText('卡号 6222021234567890127').text).toBe('卡号 6222021234567890127');
  });

  it('replaces e-mail addresses and leaves prices, dates and ordinary numbers alone', () => {
    expect(redactText('发到 wang.li@sensor-corp.com.cn 就行').text).toBe('发到 [邮箱] 就行');
    for (const s of ['报价 12800 元，交期 45 天', '2026年3月2日 下午三点', '一二三四五六七八九十', '型号 TJ-3000-12']) expect(redactText(s).text).toBe(s);
  });

  it('counts per kind over segments and reports which segments changed', () => {
    const r = redactSegments([
      { start: 0, end: 2, speaker: 'rep', text: '您好' },
      { start: 2, end: 5, speaker: 'customer', text: `电话13812345678，邮箱a@b.cn，身份证${ID}` },
    ]);
    expect(r.redacted).toEqual([1]);
    expect(r.counts).toEqual({ mobile: 1, email: 1, id_card: 1 });
    expect(r.segments[0].text).toBe('您好');
    expect(findPii(r.segments[1].text)).toEqual([]);
  });
});
