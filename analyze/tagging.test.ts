import { describe, expect, it } from 'vitest';
import { loadLexicon } from '../lexicons/index.ts';
import { tagText } from './tagging.ts';
import { tokenize } from './tokenize.ts';
import type { CategoryId } from '../core/categories.ts';

const lex = loadLexicon();
const tag = (text: string) => tagText(text, tokenize(text, lex), lex);
const cats = (text: string) => [...new Set(tag(text).map((h) => h.category))].sort();

describe('tagText', () => {
  it('returns keyword hits with offsets into the text', () => {
    const text = '这个价格有点贵，能不能便宜点？交货周期多久';
    const hits = tag(text);
    for (const h of hits) expect(text.slice(h.start, h.end)).toBe(h.keyword);
    expect(hits.map((h) => [h.category, h.keyword])).toEqual([
      ['price_sensitivity', '价格'],
      ['price_sensitivity', '有点贵'],
      ['price_sensitivity', '便宜点'],
      ['delivery_time', '交货周期'],
    ]);
  });

  it('keeps offsets right after leading spaces and astral characters', () => {
    const text = '😀 你们的付款方式是什么';
    const [hit] = tag(text);
    expect(hit).toMatchObject({ category: 'payment_terms', keyword: '付款方式' });
    expect(text.slice(hit.start, hit.end)).toBe('付款方式');
  });

  it('never fires inside an unrelated word', () => {
    for (const text of [
      '我们公司很看重价值观',
      '下次再好好交流一下',
      '请问您贵姓',
      '贵司的前台很热情',
      '您最近比较忙吧',
      '这两年房价跌了不少',
      '这是当地的工艺品',
      '那部电视剧更新周期太长了',
      '今天路上交通太堵了',
      '这次付出的代价太大了',
    ]) {
      expect(tag(text), text).toEqual([]);
    }
  });

  it('applies guards: 比较贵 is price, not a comparison with competitors', () => {
    expect(cats('你们这个比较贵啊')).toEqual(['price_sensitivity']);
    expect(cats('我们跟西门子比较一下再说')).toEqual(['competitor']);
  });

  it('matches multi-token keywords and keeps the longest of nested hits', () => {
    const hits = tag('我们先签个保密协议');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ category: 'contract_legal', keyword: '保密协议' });
    expect(cats('通讯协议支持Modbus吗')).toEqual(['technical_spec']);
  });

  it('tags open classes by pattern: amounts, grades, model sizes', () => {
    expect(cats('这套模具含税四十八万')).toEqual(['price_sensitivity']);
    expect(cats('一年大概十五万套')).toEqual([]);
    expect(cats('要10.9级的，M20的')).toEqual(['technical_spec']);
    // An amount next to 预算 is the budget, not a price.
    expect(cats('今年预算就三十万')).toEqual(['budget']);
  });

  it('drops a concern the speaker dismisses, but not reassurance or a question', () => {
    expect(cats('我们不担心质量，主要是交期')).toEqual(['delivery_time']);
    expect(cats('价格不是问题，关键是能不能收承兑汇票')).toEqual(['payment_terms']);
    expect(cats('您不用担心质量，每批都有检测报告')).toEqual(['quality_concern']);
    expect(cats('您不担心质量吗？')).toEqual(['quality_concern']);
    // Dismissal is per clause and only for concern-type categories.
    expect(cats('质量我们不担心，但是交期不是问题吗')).toEqual(['delivery_time']);
  });

  it('is case-insensitive for Latin keywords', () => {
    expect(cats('能不能跟abb的比一比')).toEqual(['competitor']);
  });

  it('tags every category on a typical utterance', () => {
    const samples: Record<CategoryId, string> = {
      price_sensitivity: '能不能再让点利',
      delivery_time: '最快什么时候能到货',
      competitor: '友商报的比你们低',
      budget: '今年的预算已经用完了',
      decision_chain: '这个得我们老板拍板',
      technical_spec: '量程和精度是多少',
      after_sales: '质保期是多久',
      payment_terms: '我们一般是月结60天',
      quality_concern: '不良率能控制在多少',
      contract_legal: '合同条款我们法务要审',
      data_security: '必须私有化部署',
      use_case: '主要用在污水处理的管道上',
    };
    for (const [id, text] of Object.entries(samples)) expect(cats(text), text).toContain(id);
  });
});
