// Checks an uploaded file before exceljs opens it: it must be a zip (xlsx) with a workbook part, few
// entries, and a modest uncompressed size, measured while inflating so lying headers cannot bomb us.
import JSZip from 'jszip';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;
export const MAX_ENTRIES = 500;

export type UploadProblem = { kind: 'not-xlsx' | 'too-large' | 'zip-bomb'; message: string };

interface ZipStream {
  on(event: 'data', cb: (chunk: Uint8Array) => void): ZipStream;
  on(event: 'error', cb: (err: Error) => void): ZipStream;
  on(event: 'end', cb: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
}

const NOT_XLSX = 'Excel ブック（.xlsx）ではありません。調査票をダウンロードし、Excel 形式（.xlsx）のまま保存したファイルを送ってください';

function inflatedSize(file: JSZip.JSZipObject, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let total = 0;
    // internalStream is jszip's chunked reader (public in its docs' StreamHelper, missing from its typings).
    const stream = (file as unknown as { internalStream(type: 'uint8array'): ZipStream }).internalStream('uint8array');
    stream
      .on('data', (chunk: Uint8Array) => {
        total += chunk.length;
        if (total > limit) {
          stream.pause();
          reject(new Error('limit'));
        }
      })
      .on('error', reject)
      .on('end', () => resolve(total))
      .resume();
  });
}

/** null when the file may be given to exceljs; otherwise why not (Japanese). */
export async function checkXlsxUpload(body: Buffer): Promise<UploadProblem | null> {
  if (body.length > MAX_UPLOAD_BYTES) return { kind: 'too-large', message: `ファイルが大きすぎます（上限 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB）` };
  if (body.length < 4 || body[0] !== 0x50 || body[1] !== 0x4b) return { kind: 'not-xlsx', message: NOT_XLSX };
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(body, { checkCRC32: false });
  } catch {
    return { kind: 'not-xlsx', message: NOT_XLSX };
  }
  const files = Object.values(zip.files).filter((f) => !f.dir);
  if (files.length > MAX_ENTRIES) return { kind: 'zip-bomb', message: 'ファイルの構成が Excel ブックとして不自然なため、受け付けられません（部品の数が多すぎます）' };
  if (!zip.file('xl/workbook.xml') || !zip.file('[Content_Types].xml')) return { kind: 'not-xlsx', message: NOT_XLSX };
  // Declared sizes first (cheap), then the real ones while inflating.
  const declared = files.reduce((sum, f) => sum + ((f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0), 0);
  const bomb: UploadProblem = { kind: 'zip-bomb', message: `展開後のサイズが大きすぎるため受け付けられません（上限 ${MAX_UNCOMPRESSED_BYTES / 1024 / 1024} MB）` };
  if (declared > MAX_UNCOMPRESSED_BYTES) return bomb;
  let remaining = MAX_UNCOMPRESSED_BYTES;
  for (const f of files) {
    try {
      remaining -= await inflatedSize(f, remaining);
    } catch (err) {
      return (err as Error).message === 'limit' ? bomb : { kind: 'not-xlsx', message: NOT_XLSX };
    }
  }
  return null;
}
