// The plan file formats the platform accepts, and the cheap first check of a file's bytes against the type it
// claims (magic bytes). The thorough check (zip part names, UTF-8, PDF structure) happens in the extraction worker.

export const MAX_PLAN_BYTES = 30 * 1024 * 1024;

export const PLAN_CONTENT_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain; charset=utf-8',
} as const;

export type PlanFormat = keyof typeof PLAN_CONTENT_TYPES;

export const FORMAT_NAMES: Record<PlanFormat, string> = { pdf: 'PDF', docx: 'Word 文書（.docx）', xlsx: 'Excel ブック（.xlsx）', txt: 'テキスト（UTF-8）' };

/** 'application/pdf' / 'text/plain; charset=UTF-8' / 'text/plain' → the format, or undefined for anything else. */
export function formatOfContentType(contentType: string | undefined): PlanFormat | undefined {
  const [type, ...params] = (contentType ?? '').toLowerCase().split(';').map((s) => s.trim());
  if (type === 'text/plain') {
    const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
    return charset === undefined || charset === 'utf-8' || charset === 'utf8' ? 'txt' : undefined;
  }
  return (Object.keys(PLAN_CONTENT_TYPES) as PlanFormat[]).find((f) => f !== 'txt' && PLAN_CONTENT_TYPES[f] === type);
}

/** The format a file name's extension suggests (for the multipart form, where browsers' types vary). */
export function formatOfFileName(fileName: string): PlanFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return ext === 'pdf' || ext === 'docx' || ext === 'xlsx' || ext === 'txt' ? ext : undefined;
}

/** null when the first bytes fit the claimed format; otherwise the Japanese reason. */
export function sniffPlanFile(bytes: Uint8Array, format: PlanFormat): string | null {
  const name = FORMAT_NAMES[format];
  const notIt = `ファイルの内容が${name}ではありません。${name}として保存したファイルを送ってください。`;
  if (bytes.length === 0) return 'ファイルが空です。';
  if (format === 'pdf') {
    const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
    return head.includes('%PDF-') ? null : notIt;
  }
  if (format === 'docx' || format === 'xlsx') {
    return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04 ? null : notIt;
  }
  // Text: valid UTF-8 and no NUL bytes (a binary file renamed .txt has them).
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.includes('\u0000') ? notIt : null;
  } catch {
    return `テキストファイルの文字コードが UTF-8 ではありません。UTF-8 で保存し直して送ってください。`;
  }
}
