// The 62 中核市 as of 2024-04-01 (unchanged since 松本市 and 一宮市 joined on 2021-04-01), with 全国地方公共団体コード.
// Population source: 令和2年国勢調査 人口等基本集計 (総務省統計局), reference date 2020-10-01.
// The figures were transcribed for the demo roster; an office should re-import its roster from the
// current official figures (住民基本台帳 or 国勢調査) before a real round.

export interface RosterSeedCity {
  code: string;
  prefecture: string;
  name: string;
  population: number;
}

export const ROSTER_POPULATION_DATE = '2020-10-01';
export const ROSTER_SOURCE = '令和2年国勢調査 人口等基本集計（総務省統計局）';

export const CHUKAKUSHI_ROSTER: RosterSeedCity[] = [
  { code: '012025', prefecture: '北海道', name: '函館市', population: 251084 },
  { code: '012041', prefecture: '北海道', name: '旭川市', population: 329306 },
  { code: '022012', prefecture: '青森県', name: '青森市', population: 275192 },
  { code: '022039', prefecture: '青森県', name: '八戸市', population: 223415 },
  { code: '032018', prefecture: '岩手県', name: '盛岡市', population: 289731 },
  { code: '052019', prefecture: '秋田県', name: '秋田市', population: 307672 },
  { code: '062014', prefecture: '山形県', name: '山形市', population: 247590 },
  { code: '072010', prefecture: '福島県', name: '福島市', population: 282693 },
  { code: '072036', prefecture: '福島県', name: '郡山市', population: 327692 },
  { code: '072044', prefecture: '福島県', name: 'いわき市', population: 332931 },
  { code: '082015', prefecture: '茨城県', name: '水戸市', population: 270685 },
  { code: '092011', prefecture: '栃木県', name: '宇都宮市', population: 518757 },
  { code: '102016', prefecture: '群馬県', name: '前橋市', population: 332149 },
  { code: '102024', prefecture: '群馬県', name: '高崎市', population: 372973 },
  { code: '112011', prefecture: '埼玉県', name: '川越市', population: 354571 },
  { code: '112038', prefecture: '埼玉県', name: '川口市', population: 594274 },
  { code: '112224', prefecture: '埼玉県', name: '越谷市', population: 341621 },
  { code: '122041', prefecture: '千葉県', name: '船橋市', population: 642907 },
  { code: '122173', prefecture: '千葉県', name: '柏市', population: 426468 },
  { code: '132012', prefecture: '東京都', name: '八王子市', population: 579355 },
  { code: '142018', prefecture: '神奈川県', name: '横須賀市', population: 388078 },
  { code: '162019', prefecture: '富山県', name: '富山市', population: 413938 },
  { code: '172014', prefecture: '石川県', name: '金沢市', population: 463254 },
  { code: '182010', prefecture: '福井県', name: '福井市', population: 262328 },
  { code: '192015', prefecture: '山梨県', name: '甲府市', population: 189591 },
  { code: '202011', prefecture: '長野県', name: '長野市', population: 372760 },
  { code: '202029', prefecture: '長野県', name: '松本市', population: 241145 },
  { code: '212016', prefecture: '岐阜県', name: '岐阜市', population: 402557 },
  { code: '232017', prefecture: '愛知県', name: '豊橋市', population: 371920 },
  { code: '232025', prefecture: '愛知県', name: '岡崎市', population: 384654 },
  { code: '232033', prefecture: '愛知県', name: '一宮市', population: 380073 },
  { code: '232114', prefecture: '愛知県', name: '豊田市', population: 422330 },
  { code: '252018', prefecture: '滋賀県', name: '大津市', population: 345070 },
  { code: '272035', prefecture: '大阪府', name: '豊中市', population: 401558 },
  { code: '272051', prefecture: '大阪府', name: '吹田市', population: 385567 },
  { code: '272078', prefecture: '大阪府', name: '高槻市', population: 348784 },
  { code: '272108', prefecture: '大阪府', name: '枚方市', population: 397289 },
  { code: '272124', prefecture: '大阪府', name: '八尾市', population: 264642 },
  { code: '272159', prefecture: '大阪府', name: '寝屋川市', population: 229733 },
  { code: '272272', prefecture: '大阪府', name: '東大阪市', population: 493940 },
  { code: '282014', prefecture: '兵庫県', name: '姫路市', population: 530495 },
  { code: '282022', prefecture: '兵庫県', name: '尼崎市', population: 459593 },
  { code: '282031', prefecture: '兵庫県', name: '明石市', population: 303601 },
  { code: '282049', prefecture: '兵庫県', name: '西宮市', population: 485587 },
  { code: '292010', prefecture: '奈良県', name: '奈良市', population: 354630 },
  { code: '302015', prefecture: '和歌山県', name: '和歌山市', population: 356729 },
  { code: '312011', prefecture: '鳥取県', name: '鳥取市', population: 188465 },
  { code: '322016', prefecture: '島根県', name: '松江市', population: 203616 },
  { code: '332020', prefecture: '岡山県', name: '倉敷市', population: 474592 },
  { code: '342025', prefecture: '広島県', name: '呉市', population: 214592 },
  { code: '342076', prefecture: '広島県', name: '福山市', population: 460930 },
  { code: '352012', prefecture: '山口県', name: '下関市', population: 255051 },
  { code: '372013', prefecture: '香川県', name: '高松市', population: 417496 },
  { code: '382019', prefecture: '愛媛県', name: '松山市', population: 511192 },
  { code: '392014', prefecture: '高知県', name: '高知市', population: 326545 },
  { code: '402036', prefecture: '福岡県', name: '久留米市', population: 303316 },
  { code: '422011', prefecture: '長崎県', name: '長崎市', population: 409118 },
  { code: '422029', prefecture: '長崎県', name: '佐世保市', population: 243223 },
  { code: '442011', prefecture: '大分県', name: '大分市', population: 475614 },
  { code: '452017', prefecture: '宮崎県', name: '宮崎市', population: 401339 },
  { code: '462012', prefecture: '鹿児島県', name: '鹿児島市', population: 593128 },
  { code: '472018', prefecture: '沖縄県', name: '那覇市', population: 317625 },
];

/** 市名カナ of the 62 中核市 (the readings of the 全国地方公共団体コード list), by 団体コード. */
export const CHUKAKUSHI_KANA: Record<string, string> = {
  '012025': 'ハコダテシ', '012041': 'アサヒカワシ', '022012': 'アオモリシ', '022039': 'ハチノヘシ', '032018': 'モリオカシ',
  '052019': 'アキタシ', '062014': 'ヤマガタシ', '072010': 'フクシマシ', '072036': 'コオリヤマシ', '072044': 'イワキシ',
  '082015': 'ミトシ', '092011': 'ウツノミヤシ', '102016': 'マエバシシ', '102024': 'タカサキシ', '112011': 'カワゴエシ',
  '112038': 'カワグチシ', '112224': 'コシガヤシ', '122041': 'フナバシシ', '122173': 'カシワシ', '132012': 'ハチオウジシ',
  '142018': 'ヨコスカシ', '162019': 'トヤマシ', '172014': 'カナザワシ', '182010': 'フクイシ', '192015': 'コウフシ',
  '202011': 'ナガノシ', '202029': 'マツモトシ', '212016': 'ギフシ', '232017': 'トヨハシシ', '232025': 'オカザキシ',
  '232033': 'イチノミヤシ', '232114': 'トヨタシ', '252018': 'オオツシ', '272035': 'トヨナカシ', '272051': 'スイタシ',
  '272078': 'タカツキシ', '272108': 'ヒラカタシ', '272124': 'ヤオシ', '272159': 'ネヤガワシ', '272272': 'ヒガシオオサカシ',
  '282014': 'ヒメジシ', '282022': 'アマガサキシ', '282031': 'アカシシ', '282049': 'ニシノミヤシ', '292010': 'ナラシ',
  '302015': 'ワカヤマシ', '312011': 'トットリシ', '322016': 'マツエシ', '332020': 'クラシキシ', '342025': 'クレシ',
  '342076': 'フクヤマシ', '352012': 'シモノセキシ', '372013': 'タカマツシ', '382019': 'マツヤマシ', '392014': 'コウチシ',
  '402036': 'クルメシ', '422011': 'ナガサキシ', '422029': 'サセボシ', '442011': 'オオイタシ', '452017': 'ミヤザキシ',
  '462012': 'カゴシマシ', '472018': 'ナハシ',
};
