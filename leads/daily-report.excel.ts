import ExcelJS from 'exceljs';
import { InvalidInputError } from '../core/errors.ts';
import { isDay } from '../core/time.ts';

/** One row of a 销售日报: the rep's view of one customer on one day. */
export interface DailyReportRow {
  /** 1-based row number in the sheet, for error messages. */
  row: number;
  day: string;
  repId: string;
  customerId: string;
  customerName: string | null;
  score: number;
  progress: string | null;
  /** Interactions the rep reports with this customer that day (PHI touchpoint denominator); 1 when the column is absent. */
  interactions: number;
}

export interface DailyReportParse {
  rows: DailyReportRow[];
  errors: Array<{ row: number; code: string; message: string }>;
}

/** Header spellings seen in reps' own templates, mapped to fields. */
const HEADERS: Record<string, keyof Omit<DailyReportRow, 'row'>> = {
  日期: 'day',
  报告日期: 'day',
  销售: 'repId',
  销售代表: 'repId',
  销售id: 'repId',
  销售编号: 'repId',
  客户: 'customerId',
  客户id: 'customerId',
  客户编号: 'customerId',
  客户名称: 'customerName',
  客户态度: 'score',
  态度评分: 'score',
  '客户态度(1-5)': 'score',
  '客户态度（1-5）': 'score',
  关键进展: 'progress',
  进展: 'progress',
  互动次数: 'interactions',
  沟通次数: 'interactions',
};

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  // exceljs turns a date cell into midnight UTC of the written calendar day.
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v).trim();
}

/**
 * Reads the first sheet of a 销售日报 workbook. The header row is found by its column names (any order; 客户名称 is
 * used as the id when there is no 客户ID column). Bad rows are reported with their row number and skipped; only a
 * file that is not a workbook or has no recognisable header fails as a whole.
 */
export async function parseDailyReport(buffer: Buffer | ArrayBuffer): Promise<DailyReportParse> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as ArrayBuffer);
  } catch (err) {
    throw new InvalidInputError('invalid_excel', '无法读取 Excel 文件，请上传 .xlsx 格式的销售日报 / not a readable .xlsx workbook', { cause: err });
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new InvalidInputError('invalid_excel', 'Excel 文件中没有工作表 / workbook has no sheet');

  let headerRow = 0;
  const columns = new Map<number, keyof Omit<DailyReportRow, 'row'>>();
  for (let r = 1; r <= Math.min(10, sheet.rowCount) && headerRow === 0; r++) {
    const found = new Map<number, keyof Omit<DailyReportRow, 'row'>>();
    sheet.getRow(r).eachCell((cell, col) => {
      const key = cellText(cell.value).replace(/\s/g, '').toLowerCase();
      if (HEADERS[key]) found.set(col, HEADERS[key]);
    });
    const fields = new Set(found.values());
    if (fields.has('day') && fields.has('repId') && fields.has('score') && (fields.has('customerId') || fields.has('customerName'))) {
      headerRow = r;
      for (const [c, f] of found) columns.set(c, f);
    }
  }
  if (headerRow === 0) {
    throw new InvalidInputError('invalid_daily_report', '未找到表头：需要「日期」「销售」「客户」或「客户名称」「客户态度」列 / header row not found');
  }

  const result: DailyReportParse = { rows: [], errors: [] };
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const raw: Partial<Record<keyof Omit<DailyReportRow, 'row'>, string>> = {};
    const row = sheet.getRow(r);
    for (const [col, field] of columns) raw[field] = cellText(row.getCell(col).value);
    if (Object.values(raw).every((v) => !v)) continue;
    const fail = (code: string, message: string) => result.errors.push({ row: r, code, message });
    const day = (raw.day ?? '').replace(/[/.]/g, '-').replace(/-(\d)(?=-|$)/g, '-0$1');
    const customerId = raw.customerId || raw.customerName || '';
    const score = Number(raw.score);
    const interactions = raw.interactions ? Number(raw.interactions) : 1;
    if (!isDay(day)) fail('invalid_day', `第 ${r} 行：日期「${raw.day ?? ''}」无法识别，应为 YYYY-MM-DD`);
    else if (!raw.repId) fail('missing_rep', `第 ${r} 行：缺少销售`);
    else if (!customerId) fail('missing_customer', `第 ${r} 行：缺少客户`);
    else if (!Number.isInteger(score) || score < 1 || score > 5) fail('invalid_attitude_score', `第 ${r} 行：客户态度「${raw.score ?? ''}」应为 1–5 的整数`);
    else if (!Number.isInteger(interactions) || interactions < 0) fail('invalid_interactions', `第 ${r} 行：互动次数「${raw.interactions}」应为非负整数`);
    else {
      result.rows.push({
        row: r,
        day,
        repId: raw.repId,
        customerId,
        customerName: raw.customerName || null,
        score,
        progress: raw.progress || null,
        interactions,
      });
    }
  }
  return result;
}
