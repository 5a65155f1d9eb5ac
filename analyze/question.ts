/**
 * Is a Chinese utterance a question? Spoken transcripts rarely carry '？', so besides punctuation we look for
 * sentence-final particles (吗/么/呢/吧-tags), A-not-A forms (能不能/是不是/有没有/需不需要) and interrogative
 * words (什么/多少/怎么/哪/谁/几点 …), each with guards for the common non-question uses:
 * 什么都行, 没什么, 多少有点, 不管多少, 哪怕, 怎么说呢 (a filler), 有什么问题随时找我, 我不知道能不能 …
 * An utterance counts as a question when any of its sentences is one.
 */

const SENTENCE_SPLIT = /[。！!；;\n]+|(?<=[？?])/;

/** Tag questions ending in 吧: 是吧/对吧/没问题吧 ask for agreement; 好吧/走吧/就这样吧 do not. */
const BA_TAG = /(是|对|没错|没问题|不错|够|可以|了解|知道|清楚|听说过|用过|见过|收到|看到|合适|贵|便宜|行不行)吧$/;

/** 呢 that closes a statement: 好着呢, 还早呢, 我还在想呢. */
const NE_STATEMENT = /(着|还[^，,]{0,8}|才[^，,]{0,6})呢$/;

/** A-not-A: 能不能, 是不是, 需不需要, 有没有, 用没用过. 动不动 means "at every turn". */
const A_NOT_A = /([\u4e00-\u9fff])[不没]\1/;
const A_NOT_A_IDIOM = /动不动|差不差不多/;

const WH_WORDS =
  /什么|多少|怎么|怎样|咋|哪|谁|为啥|啥|如何|多久|多长时间|多大|多远|多高|多重|多宽|多厚|几[点号时]|何时|是否|请问|难道|(?<!还有|好|这|那|前|过|最近|十|其他|另外|其中|了|够您用|够用)几[个台套家次位种款吨件批周天年月](?!以后|之后|以前|之前|前|后|以内|内)[^，,]{0,4}$/;

/** Uses of interrogative words that are not questions. */
const WH_GUARDS: RegExp[] = [
  /什么[都也的]|没(有)?什么|不算什么|有什么说什么|(客气|怕|急|慌|着急)什么/,
  /(有|要|需要)(什么|啥).{0,10}(随时|尽管|直接|再|就|都|可以找)/,
  /多少(有点|有些|会|也|还|都|能|给|让)|没多少|不管多少|无论多少/,
  /不怎么|怎么[都也]|怎么说呢|怎么着也|不管怎|无论怎/,
  /哪怕|哪里哪里|哪[儿里]?都|哪个都|不管哪|无论哪|哪(里|儿)?(知道|有|能|会)/,
  /谁[都也]|不管谁|无论谁/,
  /啥[都也]|没啥/,
  /无论如何|不管如何/,
  /几[十百千万]|好几|这几|那几|前几|过几|最近几|十几|几乎/,
];

const ALTERNATIVE = /还是.{1,12}[吗呢]?$/;
const WH_CHAR = /[什多怎咋哪谁啥如几何否请难]/;

const WH_GUARDS_GLOBAL = WH_GUARDS.map((g) => new RegExp(g.source, 'g'));

/** The wh-clause is the object of a statement: 合同里要写清楚批次不合格怎么处理, 把参数怎么设都讲一下. */
const EMBEDDED_WH = /写清楚|讲清楚|说清楚|讲一下|说一下|都讲|要明确|明确一下|介绍一下/;

/** Embedded (indirect) questions inside a statement: 我不知道能不能…, 我回去确认一下有没有货. */
const INDIRECT = [
  /(我|我们)(也|还|都)?(不知道|不确定|不清楚|没想好|在想|在考虑|说不好)/,
  /(回去|再|先|帮您|给您|跟[^，,]{1,6})(确认|核实|看看|问问|问一下|研究|商量|评估|申请|查查|查一下)/,
  /看看.{0,12}[不没]|(我)?说了不算|不好说|还不一定|要看/,
];

function isQuestionSentence(s: string): boolean {
  const t = s.replace(/[\s，,、…~～"“”'‘’（）()]+$/u, '');
  if (!t) return false;
  if (/[？?]$/.test(t)) return true;
  if (/(吗|么|嘛吗)$/.test(t) && !/(什么|怎么|那么|这么|多么|要么)$/.test(t)) return true;
  if (/了没(有)?$/.test(t)) return true;
  if (BA_TAG.test(t)) return true;

  const indirect = INDIRECT.some((r) => r.test(t));
  if (/呢$/.test(t) && !NE_STATEMENT.test(t) && !/怎么说呢$/.test(t) && !indirect) return true;
  if (indirect) return false;

  if (A_NOT_A.test(t) && !A_NOT_A_IDIOM.test(t)) return true;
  if (t.includes('还是') && ALTERNATIVE.test(t) && /[\u4e00-\u9fff]还是[\u4e00-\u9fff]/.test(t) && /(要|用|选|是|想)/.test(t.split('还是')[0])) {
    return true;
  }

  // Every interrogative word contains one of these characters; most statements have none and stop here.
  if (!WH_CHAR.test(t) || !WH_WORDS.test(t) || EMBEDDED_WH.test(t)) return false;
  // Guards are checked on the text with every guarded span removed, so "什么都行，那您看多少合适" still counts.
  let stripped = t;
  for (const g of WH_GUARDS_GLOBAL) stripped = stripped.replace(g, '＿');
  return WH_WORDS.test(stripped);
}

/** Number of question sentences in an utterance ("用量多少？接口是什么样的" is two). */
export function countQuestions(text: string): number {
  return text.split(SENTENCE_SPLIT).filter(isQuestionSentence).length;
}

/** True when the utterance (one segment's text) contains at least one question. */
export function isQuestion(text: string): boolean {
  return text.split(SENTENCE_SPLIT).some(isQuestionSentence);
}
