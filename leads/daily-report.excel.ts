import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError, InvalidInputError, TooLargeError } from '../core/errors.ts';
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

export interface DailyReportLimits {
  maxRows: number;
  maxCellChars: number;
}

export const DEFAULT_LIMITS: DailyReportLimits = { maxRows: 50_000, maxCellChars: 2000 };

export type DailyReportItem = { row: DailyReportRow } | { error: { row: number; code: string; message: string } };

/** The same id rule the API applies to CRM ids (api/schemas.ts CrmId): 1–128 characters, no control characters. */
// eslint-disable-next-line no-control-regex
const CRM_ID = /^[^\u0000-\u001f\u007f]{1,128}$/;
const FIELD_MAX: Partial<Record<keyof DailyReportRow, number>> = { customerName: 200, progress: 2000 };

/**
 * Reads the first sheet of a 销售日报 workbook as a stream (exceljs WorkbookReader), one row at a time, so a large
 * workbook never sits in memory. The header row is found by its column names (any order; 客户名称 is used as the id
 * when there is no 客户ID column). Bad rows come out as errors with their row number and skip the row; messages
 * name the problem, never the cell's content. Only a file that is not a workbook or has no recognisable header fails
 * as a whole.
 */
export async function* readDailyReport(input: string | Readable, limits: DailyReportLimits = DEFAULT_LIMITS): AsyncGenerator<DailyReportItem> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let headerRow = 0;
  const columns = new Map<number, keyof Omit<DailyReportRow, 'row'>>();
  let rows = 0;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const r = row.number;
        if (headerRow === 0) {
          if (r > 10) break;
          const found = new Map<number, keyof Omit<DailyReportRow, 'row'>>();
          row.eachCell((cell, col) => {
            const key = cellText(cell.value).slice(0, 40).replace(/\s/g, '').toLowerCase();
            if (HEADERS[key]) found.set(col, HEADERS[key]);
          });
          const fields = new Set(found.values());
          if (fields.has('day') && fields.has('repId') && fields.has('score') && (fields.has('customerId') || fields.has('customerName'))) {
            headerRow = r;
            for (const [c, f] of found) columns.set(c, f);
          }
          continue;
        }
        if (++rows > limits.maxRows) {
          throw new TooLargeError('excel_too_many_rows', `工作簿超过 ${limits.maxRows} 行，请拆分后再导入 / more than ${limits.maxRows} rows: split the workbook`);
        }
        const item = readRow(r, row, columns, limits);
        if (item) yield item;
      }
      break; // the first sheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new InvalidInputError('invalid_excel', '无法读取 Excel 文件，请上传 .xlsx 格式的销售日报 / not a readable .xlsx workbook', { cause: err });
  }
  if (headerRow === 0) {
    throw new InvalidInputError('invalid_daily_report', '未找到表头：需要「日期」「销售」「客户」或「客户名称」「客户态度」列 / header row not found');
  }
}

function readRow(r: number, row: ExcelJS.Row, columns: Map<number, keyof Omit<DailyReportRow, 'row'>>, limits: DailyReportLimits): DailyReportItem | null {
  const raw: Partial<Record<keyof Omit<DailyReportRow, 'row'>, string>> = {};
  const fail = (code: string, message: string): DailyReportItem => ({ error: { row: r, code, message } });
  for (const [col, field] of columns) {
    const text = cellText(row.getCell(col).value);
    const max = Math.min(limits.maxCellChars, FIELD_MAX[field] ?? limits.maxCellChars);
    if (text.length > max) return fail('cell_too_long', `第 ${r} 行：「${LABELS[field]}」超过 ${max} 个字符 / row ${r}: ${field} is longer than ${max} characters`);
    raw[field] = text;
  }
  if (Object.values(raw).every((v) => !v)) return null;
  const day = (raw.day ?? '').replace(/[/.]/g, '-').replace(/-(\d)(?=-|$)/g, '-0$1');
  const customerId = raw.customerId || raw.customerName || '';
  const score = Number(raw.score);
  const interactions = raw.interactions ? Number(raw.interactions) : 1;
  if (!isDay(day)) return fail('invalid_day', `第 ${r} 行：日期无法识别，应为 YYYY-MM-DD / row ${r}: the date must be YYYY-MM-DD`);
  if (!raw.repId) return fail('missing_rep', `第 ${r} 行：缺少销售 / row ${r}: no rep`);
  if (!CRM_ID.test(raw.repId)) return fail('invalid_crm_id', `第 ${r} 行：销售编号须为 1–128 个字符 / row ${r}: the rep id must be 1–128 printable characters`);
  if (!customerId) return fail('missing_customer', `第 ${r} 行：缺少客户 / row ${r}: no customer`);
  if (!CRM_ID.test(customerId)) return fail('invalid_crm_id', `第 ${r} 行：客户编号须为 1–128 个字符 / row ${r}: the customer id must be 1–128 printable characters`);
  if (!Number.isInteger(score) || score < 1 || score > 5) return fail('invalid_attitude_score', `第 ${r} 行：客户态度应为 1–5 的整数 / row ${r}: attitude must be a whole number 1–5`);
  if (!Number.isInteger(interactions) || interactions < 0 || interactions > 1000) {
    return fail('invalid_interactions', `第 ${r} 行：互动次数应为 0–1000 的整数 / row ${r}: interactions must be a whole number 0–1000`);
  }
  return { row: { row: r, day, repId: raw.repId, customerId, customerName: raw.customerName || null, score, progress: raw.progress || null, interactions } };
}

const LABELS: Record<keyof Omit<DailyReportRow, 'row'>, string> = {
  day: '日期', repId: '销售', customerId: '客户', customerName: '客户名称', score: '客户态度', progress: '关键进展', interactions: '互动次数',
};

/** The whole sheet at once, for small workbooks (tests, the CLI): the same reader, collected. */
export async function parseDailyReport(buffer: Buffer, limits: DailyReportLimits = DEFAULT_LIMITS): Promise<DailyReportParse> {
  const result: DailyReportParse = { rows: [], errors: [] };
  for await (const item of readDailyReport(Readable.from([buffer]), limits)) {
    if ('row' in item) result.rows.push(item.row);
    else result.errors.push(item.error);
  }
  return result;
}
