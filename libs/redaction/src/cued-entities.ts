// Names, street addresses and dates of birth: found only after a cue ("my name is", "I live at", "date of birth"),
// since without one they cannot be told from ordinary words. Each finder takes the normalised view of a text and
// returns view ranges.

export interface ViewRange {
  start: number;
  end: number;
}

// ---------- names ----------
// Strong cues: whatever follows is a name. Weak cues ("this is", "I'm"): only a capitalised word that is not a common
// one, or a word followed by "speaking", "from", "calling" or "here".
const STRONG_NAME_CUE =
  /\b(?:my\s+(?:full\s+|first\s+|last\s+|middle\s+|sur|given\s+|maiden\s+)?name(?:'s|\s+is)|(?:the\s+)?name(?:'s|\s+is)|name\s+on\s+the\s+(?:card|account)\s+is|(?:first|last|full|middle|sur|maiden)\s*name\s+is|(?:you(?:'re|\s+are)\s+)?speaking\s+(?:with|to)|account\s+holder\s+is|under\s+the\s+name(?:\s+of)?|myself|(?:mr|mrs|ms|miss|mister|dr|missus)\b\.?)\s*[:,]?\s*/gi;
const WEAK_NAME_CUE = /\b(?:this\s+is|it's|it\s+is|i\s+am|i'm|im|call\s+me|hi|hello|hey|dear|thanks|thank\s+you)\s*,?\s+/gi;
// words that end a name, and that a weak cue never takes for one
const NOT_A_NAME = new Set(
  (
    'a an the and or but so um uh er ah oh i i\'m im me my mine you your he she it we they them this that these those here there ' +
    'is was are be been am calling call called speaking from with at on in of for to about regarding again just really very ' +
    'please thanks thank okay ok yes yeah yep no nope sir madam maam ma\'am mister miss hello hi hey bye good great fine well ' +
    'sorry not also too still now today tomorrow yesterday can could would will shall should may might must do does did have has ' +
    'had get got going gonna want wanted need needed like how what when where why who which if then than as by calling ' +
    'customer service support team department company bank agent representative manager supervisor how\'s what\'s that\'s ' +
    'it\'s there\'s correct right sure exactly actually basically trying wondering looking checking happy glad able unable ' +
    'interested concerned worried new old last first next all any some one two three four five six seven eight nine ten ' +
    'spelled spelt spell spelling double capital back later anytime whenever soon asap directly ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april june july august september ' +
    'october november december morning afternoon evening night'
  ).split(' '),
);
const NAME_WORD = /\p{L}[\p{L}'’-]*/uy;
const NAME_FOLLOWER = /^\s*,?\s*(?:speaking|from|calling|here|with|at|of|(?:the\s+)?(?:account|policy|card)\s*holder)\b/i;
// "This is Acme Bank": an organisation, not a person
const ORGANISATION_WORD =
  'bank|capital|inc|corp|corporation|company|co|ltd|llc|plc|support|services?|insurance|telecom|airlines?|group|team|customer|credit|union|financial|finance|energy|mobile|wireless|health|care|solutions|systems|technologies|partners|holdings|motors|airways|utilities|pharmacy|clinic|hospital';
const ORGANISATION_AFTER = new RegExp(`^\\s+(?:${ORGANISATION_WORD})\\b`, 'i');
const ORGANISATION_IN = new RegExp(`\\b(?:${ORGANISATION_WORD})\\b`, 'i');

function nameWordsAt(view: string, at: number, max: number, capitalisedOnly: boolean): ViewRange | null {
  let end = -1;
  let i = at;
  let count = 0;
  while (count < max) {
    NAME_WORD.lastIndex = i;
    const m = NAME_WORD.exec(view);
    if (!m) break;
    const word = m[0].replace(/['’]s$/, '');
    if (NOT_A_NAME.has(word.toLowerCase())) break;
    if (capitalisedOnly && !/^\p{Lu}/u.test(word)) break;
    end = m.index + m[0].length;
    count++;
    // a single-letter initial may end in a period ("John F. Kennedy")
    const gap = /^(?:\.?\s+|-)/.exec(view.slice(end));
    if (!gap || /[\n]/.test(gap[0])) break;
    i = end + gap[0].length;
  }
  return end < 0 ? null : { start: at, end };
}

const ZH_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝陳張劉楊黃趙吳孫馬鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒龔錢嚴顏聶魯';
const ZH_COMPOUND_SURNAMES = /^(?:欧阳|司马|诸葛|上官|东方|慕容|令狐|皇甫|尉迟|公孙|长孙|宇文|司徒|夏侯|轩辕|端木|歐陽|司馬|諸葛)/;
// characters that end a Chinese name: particles, pronouns, verbs that follow a self-introduction, punctuation
const ZH_NAME_STOP = /[\s，。、！？；：,.!?;:我你您他她它的是在想要有了个啊呀呢吧就和跟今年打来這这那请從从住电手身也已经给對对不没還还先女士姐老师的呃嗯哦喔，]/;
const ZH_STRONG_CUE = /我叫|我的名字(?:是|叫)|名字(?:是|叫)|姓名(?:是|叫|[:：])|全名(?:是|叫)|本人|叫我|我名叫|我名字叫/g;

// words that follow 叫我 or 我是 and are no names ("叫我客户就行", "我是客户")
const ZH_NOT_A_NAME = /^(?:客户|客人|先生|女士|小姐|老师|师傅|经理|同学|朋友|自己|本人|用户|会员|一下|什么|这个|那个|他们|我们|你们|大家)/;

function zhNameAt(view: string, at: number, min: number, max: number): ViewRange | null {
  let end = at;
  while (end < view.length && end - at < max && /[\u3400-\u9fff]/.test(view[end] as string) && !ZH_NAME_STOP.test(view[end] as string)) end++;
  if (ZH_NOT_A_NAME.test(view.slice(at, end))) return null;
  return end - at >= min ? { start: at, end } : null;
}

/** Personal names after a self-introduction or a form of address (EN and ZH). */
export function findNames(view: string): ViewRange[] {
  const out: ViewRange[] = [];
  // ASR output without any capitals: case says nothing about names there
  const cased = /\p{Lu}/u.test(view);
  for (const m of view.matchAll(STRONG_NAME_CUE)) {
    const honorific = /^(?:mr|mrs|ms|miss|mister|dr|missus)\b/i.test(m[0]);
    // up to four words: "Dr. Jane Smith MD"
    const range = nameWordsAt(view, m.index + m[0].length, honorific ? 2 : 4, honorific && cased);
    if (range) out.push(range);
  }
  for (const m of view.matchAll(WEAK_NAME_CUE)) {
    const at = m.index + m[0].length;
    const capitalised = cased ? nameWordsAt(view, at, 3, true) : null;
    if (capitalised && (ORGANISATION_AFTER.test(view.slice(capitalised.end)) || ORGANISATION_IN.test(view.slice(capitalised.start, capitalised.end)))) continue;
    if (capitalised) {
      // "Hi Dana," / "This is Dana." / "I'm Dana from Acme" — a greeting cue needs the name to end the clause
      const greeting = /^(?:hi|hello|hey|dear|thanks|thank)/i.test(m[0]);
      if (!greeting || /^\s*[,.!?]|^\s*$/.test(view.slice(capitalised.end))) out.push(capitalised);
      continue;
    }
    // lowercase ASR text: "this is dana speaking", "it's dana from acme"
    const any = nameWordsAt(view, at, 2, false);
    if (any && !/^(?:hi|hello|hey|dear|thanks|thank)/i.test(m[0]) && NAME_FOLLOWER.test(view.slice(any.end)) && !ORGANISATION_IN.test(view.slice(any.start, any.end))) {
      out.push(any);
    }
  }
  // "Dana speaking" at the start of a turn or after a greeting
  for (const m of view.matchAll(/(?:^|[.!?,]\s*|\b(?:hi|hello|morning|afternoon)\s*,?\s*)([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+speaking\b/g)) {
    const name = m[1] as string;
    if (!NOT_A_NAME.has(name.toLowerCase())) out.push({ start: m.index + m[0].indexOf(name), end: m.index + m[0].indexOf(name) + name.length });
  }
  for (const m of view.matchAll(ZH_STRONG_CUE)) {
    const at = m.index + m[0].length;
    const range = zhNameAt(view, at, 2, ZH_COMPOUND_SURNAMES.test(view.slice(at)) ? 4 : 3);
    if (range) out.push(range);
  }
  // 我姓王 (the surname), optionally 我姓王，叫王小明 / 我姓王叫小明
  for (const m of view.matchAll(/我姓|免贵姓|免貴姓|姓氏是/g)) {
    const at = m.index + m[0].length;
    const compound = ZH_COMPOUND_SURNAMES.exec(view.slice(at));
    // any Chinese character may be a surname; these are not ("我姓什么", "我姓名…")
    const len = compound ? 2 : /[\u3400-\u9fff]/.test(view[at] ?? '') && !/[什名啥的是了么吗呢啊不也都这那哪谁]/.test(view[at] ?? '') ? 1 : 0;
    if (len > 0) out.push({ start: at, end: at + len });
    const then = /^[，,\s]?(?:叫|名叫|名字叫)/.exec(view.slice(at + len));
    if (len > 0 && then) {
      const given = zhNameAt(view, at + len + then[0].length, 1, 3);
      if (given) out.push(given);
    }
  }
  // 我是王小明 / 这里是王小明: only a known surname and a name that ends the clause
  for (const m of view.matchAll(/(?:我是|这里是|這裡是|我这边是)/g)) {
    const at = m.index + m[0].length;
    const compound = ZH_COMPOUND_SURNAMES.exec(view.slice(at));
    if (!compound && !ZH_SURNAMES.includes(view[at] ?? '\0')) continue;
    const range = zhNameAt(view, at, 2, compound ? 4 : 3);
    // the name ends the clause, or a verb of why one calls follows it (我是王小明，想… / 我是王小明想咨询一下)
    if (range && /^(?:$|[，。！？,.!?\s]|啊|呀|哈|啦|想|要|来|打|找|问|咨询)/.test(view.slice(range.end))) out.push(range);
  }
  // forms of address: 王先生, 李女士, 张小姐, 陈经理 — the surname
  for (const m of view.matchAll(/(欧阳|司马|诸葛|上官|东方|慕容|[\u3400-\u9fff])(?=先生|女士|小姐|太太|阿姨|师傅|老师|经理|總|总)/g)) {
    if (m[1]!.length === 2 || ZH_SURNAMES.includes(m[1] as string)) {
      out.push({ start: m.index, end: m.index + (m[1] as string).length });
    }
  }
  return out;
}

// ---------- street addresses ----------
const ADDRESS_CUE =
  /\b(?:i\s+live\s+(?:at|on|in)|i'm\s+living\s+at|we\s+live\s+at|(?:my|our|the|your)\s+(?:home\s+|street\s+|mailing\s+|billing\s+|shipping\s+|postal\s+|delivery\s+|new\s+|current\s+|registered\s+)?address(?:'s|\s+is|\s+was|\s+on\s+file\s+is)?|(?:home|street|mailing|billing|shipping|postal|delivery)\s+address(?:\s+is)?|address\s*:|(?:send|ship|deliver|mail|post)(?:\s+(?:it|them|the\s+\w+|everything))?\s+to|(?:he|she|they)\s+lives?\s+at|living\s+at|stay(?:ing)?\s+at|located\s+at|reside\s+at|residing\s+at|moved\s+to|i'm\s+at|we're\s+at)\s*[:,]?\s*/gi;
const WEAK_ADDRESS_CUE = /^(?:located|moved|i'm\s+at|we're\s+at)/i;
const STREET_WORD =
  /\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|circle|cir|highway|hwy|parkway|pkwy|square|sq|crescent|close|po\s+box|p\.o\.\s+box)\b/i;
const ADDRESS_STOP = new Set(
  (
    'and but so because thanks thank please okay ok yes yeah my i i\'m im is was it that that\'s which who if when can could would ' +
    'will should do does did have has had the number phone email since for about right correct um uh sorry now near next by ' +
    'close around opposite behind across beside today currently'
  ).split(' '),
);
const STREET_ABBREVIATIONS = /^(?:st|rd|ave|ln|dr|blvd|ct|pl|cir|hwy|pkwy|sq|apt|no|n|s|e|w|ne|nw|se|sw|mt|ft|p\.o)$/i;

function englishAddressAt(view: string, at: number): ViewRange | null {
  let end = at;
  let i = at;
  let tokens = 0;
  let first = true;
  const TOKEN = /([A-Za-z0-9][A-Za-z0-9'’#-]*)(\.?)/y;
  while (tokens < 16) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(view);
    if (!m) break;
    const word = m[1] as string;
    // "the" only leads ("the old mill, 3 ..."); every stop word ends the address
    if (ADDRESS_STOP.has(word.toLowerCase()) && !(first && word.toLowerCase() === 'the')) break;
    first = false;
    end = m.index + word.length;
    tokens++;
    let next = m.index + m[0].length;
    if (m[2] === '.') {
      // a period ends the address unless it closes an abbreviation ("St.", "Apt.")
      if (!STREET_ABBREVIATIONS.test(word)) break;
      end = next;
    }
    const gap = /^(?:,?\s+|,)/.exec(view.slice(next));
    if (!gap) break;
    next += gap[0].length;
    i = next;
  }
  if (end === at || !looksLikeAddress(view.slice(at, end))) return null;
  return { start: at, end };
}

/** An address has a house number or a street word: "I live in fear" and "the second floor" are not ones. */
export function looksLikeAddress(text: string): boolean {
  return /\d/.test(text) || STREET_WORD.test(text) || (ZH_ADDRESS_PART.test(text) && /[\u3400-\u9fff]/.test(text));
}

const ZH_ADDRESS_CUE =
  /(?:我的)?(?:家庭|收货|收貨|送货|送貨|寄件|邮寄|郵寄|联系|聯繫|通讯|通訊|居住|户籍|戶籍)?(?:地址|住址)(?:是|在|为|為|[:：])?|住在|家住|我家在|我家是|寄到|送到|寄给我到|搬到了?/g;
const ZH_ADDRESS_PART = /[省市区區县縣镇鎮乡鄉村路街道巷弄号號楼樓栋棟单元單元室小区小區大厦大廈花园花園里苑庄莊坊胡同]/;
const ZH_ADDRESS_STOP = /[，。！？；,.!?;\n就吧呢啊哦嗯]|电话|電話|手机|手機|联系|聯繫|谢谢|謝謝|麻烦|麻煩|对吧|對吧|是吗|是嗎|然后|然後|那个|那個|就是|邮编|郵編|收件人|的话/;

function chineseAddressAt(view: string, at: number): ViewRange | null {
  const rest = view.slice(at, at + 60);
  const stop = ZH_ADDRESS_STOP.exec(rest);
  let text = stop ? rest.slice(0, stop.index) : rest;
  text = text.replace(/\s+$/, '');
  if (text.length < 3 || !ZH_ADDRESS_PART.test(text)) return null;
  return { start: at, end: at + text.length };
}

/** Street addresses after an address cue ("I live at", "my address is", "地址是", "住在"). */
export function findAddresses(view: string): ViewRange[] {
  const out: ViewRange[] = [];
  for (const m of view.matchAll(ADDRESS_CUE)) {
    const range = englishAddressAt(view, m.index + m[0].length);
    if (!range) continue;
    const text = view.slice(range.start, range.end);
    // "I'm at 50 percent", "moved to 3 o'clock": a weak cue needs a street word, and no address is a quantity
    if (WEAK_ADDRESS_CUE.test(m[0]) && !STREET_WORD.test(text)) continue;
    if (/^\d+\s*(?:%|percent|per\s+cent|dollars?|pounds?|euros?|units?|items?|minutes?|hours?|days?|times?|o'clock)\b/i.test(text)) continue;
    out.push(range);
  }
  for (const m of view.matchAll(ZH_ADDRESS_CUE)) {
    const range = chineseAddressAt(view, m.index + m[0].length);
    if (range) out.push(range);
  }
  return out;
}

// ---------- dates of birth ----------
const DOB_CUE =
  /\b(?:date\s+of\s+birth|birth\s*date|birthday|d\.?o\.?b\.?|born(?:\s+on)?|birth\s+day)(?:\s+is|'s|\s+was)?\s*[:,?-]?\s*(?:it's\s+|it\s+is\s+|on\s+)?(?:the\s+)?/gi;
const ZH_DOB_CUE = /出生日期(?:是|为|為)?[:：]?|出生年月日?(?:是|为|為)?[:：]?|生日(?:是|为|為|在)?[:：]?|出生于|出生於|出生在|生于|生於/g;
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const ORDINAL_WORD =
  '(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|(?:twenty|thirty)[\\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))';
const DAY = `(?:\\d{1,2}(?:st|nd|rd|th)?|${ORDINAL_WORD})`;
const YEAR = '(?:\\d{4}|\\d\\d(?:\\s\\d\\d)?|\'\\d\\d)';
const DATE_FORMS = new RegExp(
  [
    '\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}',
    '\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}',
    '\\d{1,2}\\s\\d{1,2}\\s\\d{2,4}',
    '(?:19|20)\\d{6}',
    `${MONTH}\\.?\\s+(?:the\\s+)?${DAY}(?:,?\\s*(?:of\\s+)?${YEAR})?`,
    `${DAY}\\s+(?:of\\s+)?${MONTH}\\.?(?:,?\\s*${YEAR})?`,
  ]
    .map((f) => `(?:${f})`)
    .join('|') + '(?![A-Za-z0-9])',
  'iy',
);
const ZH_NUM = '[0-9零〇一二三四五六七八九十两]';
const ZH_DATE = new RegExp(`${ZH_NUM}{2,4}\\s*年\\s*${ZH_NUM}{1,3}\\s*月\\s*(?:${ZH_NUM}{1,3}\\s*[日号號])?|${ZH_NUM}{1,3}\\s*月\\s*${ZH_NUM}{1,3}\\s*[日号號]|\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|(?:19|20)\\d{6}`, 'y');

/** Dates of birth after a cue ("date of birth", "DOB", "born on", "出生日期", "生日是"). */
export function findDatesOfBirth(view: string): ViewRange[] {
  const out: ViewRange[] = [];
  for (const m of view.matchAll(DOB_CUE)) {
    DATE_FORMS.lastIndex = m.index + m[0].length;
    const d = DATE_FORMS.exec(view);
    if (d) out.push({ start: d.index, end: d.index + d[0].length });
  }
  // 我是1985年3月12日出生的: the date before the cue
  for (const m of view.matchAll(new RegExp(`(?:我是|我)(${ZH_DATE.source})(?=出生|生的)`, 'g'))) {
    const date = m[1] as string;
    out.push({ start: m.index + m[0].length - date.length, end: m.index + m[0].length });
  }
  for (const m of view.matchAll(ZH_DOB_CUE)) {
    ZH_DATE.lastIndex = m.index + m[0].length;
    const d = ZH_DATE.exec(view);
    if (d) out.push({ start: d.index, end: d.index + d[0].length });
  }
  return out;
}
