// The 2018 questionnaire of 西宮市's 中核市情報化推進計画調査: 46 measures in 4 categories, in the order of
// the published results table (reference/000). Labels have the PDF's line-break spaces removed.

export interface MeasureTemplate {
  code: string;
  category: string;
  label: string;
}

export interface SurveyTemplate {
  id: string;
  title: string;
  introText: string;
  measures: MeasureTemplate[];
}

const CATEGORIES: Array<[string, string[]]> = [
  [
    '自治体の対策',
    [
      'ICTガバナンスの強化',
      'BCPの策定(ICT)',
      '災害対策',
      '全国瞬時警報システム・災害情報共有システム',
      '情報セキュリティ対策',
      '情報セキュリティポリシーの策定・見直し',
      'ビッグデータの活用',
      '行政の透明化',
      'オープンデータの活用',
      'GISの活用',
      'マイナンバーカードの活用',
      'マイナポータルの活用',
    ],
  ],
  [
    '自治体の業務',
    [
      'ICT調達ガイドラインの策定・見直し',
      '情報システムの最適化',
      '情報の標準化・共通化',
      'オープン化・クラウド化',
      '手続きのオンライン化',
      '電子納付の導入',
      'ワンストップサービスの導入(電子窓口)',
      '証明書自動交付サービスの導入',
    ],
  ],
  [
    '地域',
    [
      '保健・介護・福祉の向上',
      '子育て支援',
      '教育・学習の支援',
      'IT人材の育成・情報リテラシーの向上',
      '市民参加型の行政',
      '見守り・緊急通報システムの導入',
      'デジタルデバイドの解消',
      'アプリの提供',
      'デジタルアーカイブの導入',
      '生涯学習の支援',
      '観光・地域産業の支援',
      '地域コミュニティ・ボランティアの支援',
      '地元企業・起業の支援',
      '企業への発注機会の拡大・入札の透明性向上',
      '雇用・就職の支援',
      '環境・自然・グリーンICT',
    ],
  ],
  [
    'インフラ',
    [
      'スマートシティ',
      'ユニバーサルデザインに基づいた機器・システム',
      'プッシュ型情報サービスの提供(マイナポータル等)',
      '公衆無線LANスポットの導入',
      '電子投票システムの導入',
      '公共施設予約システムの導入',
      '図書館のサービス・管理',
      'ホームページの充実',
      'SNSの活用',
      'メルマガの導入',
    ],
  ],
];

const measures: MeasureTemplate[] = CATEGORIES.flatMap(([category, labels]) => labels.map((label) => ({ category, label }))).map(
  (m, i) => ({ code: `M${String(i + 1).padStart(2, '0')}`, ...m }),
);

export const CHUKAKUSHI_2018: SurveyTemplate = {
  id: 'chukakushi-2018',
  title: '中核市情報化推進計画調査',
  introText:
    '本市では第4次情報化推進計画に基づき市政の情報化推進に努めているところですが、平成30年度までの計画であるため、' +
    '次期第5次情報化推進計画の策定を準備しているところです。策定にあたって、他中核市様の情報化計画を参考にし、' +
    '照会をさせていただいた次第です。大変お手数おかけいたしますが、貴団体の状況を御教示ください。' +
    'また、策定されている場合、差し支えなければ、一部御恵与をお願い致します。',
  measures,
};

export const SURVEY_TEMPLATES: Record<string, SurveyTemplate> = {
  [CHUKAKUSHI_2018.id]: CHUKAKUSHI_2018,
};
