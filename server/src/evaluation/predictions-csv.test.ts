import { describe, expect, it } from 'vitest';
import type { DatasetItem } from './dataset.js';
import type { ImagePrediction } from './predict-dataset.js';
import { CsvSyntaxError, csvCell, parseCsv, predictionsCsv, PREDICTIONS_CSV_COLUMNS } from './predictions-csv.js';

async function parseAll(chunks: Array<string | Uint8Array>): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const r of parseCsv((async function* () {
    yield* chunks;
  })())) rows.push(r);
  return rows;
}

const item = (relativePath: string, label: string): DatasetItem => ({ path: `/data/${relativePath}`, relativePath, label });
const stats = { width: 307, height: 172, bytes: 12345, brightness: 0.4567891234, contrast: 0.21, saturation: 0.5, sharpness: 0.00123 };

describe('predictions.csv', () => {
  const predictions: ImagePrediction[] = [
    { item: item('apple/1.jpg', 'apple'), predicted: 'apple', confidence: 0.9, latencyMs: 12.3456, error: null, image: stats },
    { item: item('apple/"red", ripe.jpg', 'apple'), predicted: 'orange', confidence: 0.5, latencyMs: 3, error: null, image: stats },
    { item: item('carrot/line\nbreak.jpg', 'carrot'), predicted: 'none', confidence: null, latencyMs: 1, error: null, image: stats },
    { item: item('carrot/bad.jpg', 'carrot'), predicted: null, confidence: null, latencyMs: null, error: 'the jpeg image is "truncated", or corrupt', image: null },
  ];

  it('keeps the original columns first and adds the image statistics after them', () => {
    const text = predictionsCsv(predictions);
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      'path,label,predicted,confidence,latency_ms,error,image_width,image_height,image_bytes,brightness,contrast,saturation,sharpness',
    );
    expect(lines[1]).toBe('apple/1.jpg,apple,apple,0.9,12.35,,307,172,12345,0.4567891234,0.21,0.5,0.00123');
    expect(lines[2]).toBe('"apple/""red"", ripe.jpg",apple,orange,0.5,3,,307,172,12345,0.4567891234,0.21,0.5,0.00123');
    expect(text.endsWith('"the jpeg image is ""truncated"", or corrupt",,,,,,,\n')).toBe(true);
    expect(csvCell('a\rb')).toBe('"a\rb"');
    expect(csvCell(null)).toBe('');
  });

  it('parses back what it writes, field for field, however the text is split into chunks', async () => {
    const text = predictionsCsv(predictions);
    const expected = [
      [...PREDICTIONS_CSV_COLUMNS],
      ['apple/1.jpg', 'apple', 'apple', '0.9', '12.35', '', '307', '172', '12345', '0.4567891234', '0.21', '0.5', '0.00123'],
      ['apple/"red", ripe.jpg', 'apple', 'orange', '0.5', '3', '', '307', '172', '12345', '0.4567891234', '0.21', '0.5', '0.00123'],
      ['carrot/line\nbreak.jpg', 'carrot', 'none', '', '1', '', '307', '172', '12345', '0.4567891234', '0.21', '0.5', '0.00123'],
      ['carrot/bad.jpg', 'carrot', '', '', '', 'the jpeg image is "truncated", or corrupt', '', '', '', '', '', '', ''],
    ];
    expect(await parseAll([text])).toEqual(expected);
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut += 7) {
      expect(await parseAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(expected);
    }
    // one character (or one byte) at a time
    expect(await parseAll([...text])).toEqual(expected);
    expect(await parseAll([...bytes].map((b) => Uint8Array.of(b)))).toEqual(expected);
  });

  it('reads CRLF and CR line ends, blank lines, a last line without its end, and UTF-8 split inside a character', async () => {
    expect(await parseAll(['a,b\r\n1,2\r', '\n\r\n"x\r\ny",', '3\r4,5'])).toEqual([['a', 'b'], ['1', '2'], ['x\r\ny', '3'], ['4', '5']]);
    const crème = Buffer.from('p\ncrème,"brûlée"\n', 'utf8');
    const at = crème.indexOf(0xa8); // the second byte of è
    expect(await parseAll([crème.subarray(0, at), crème.subarray(at)])).toEqual([['p'], ['crème', 'brûlée']]);
    expect(await parseAll(['a,"",\n'])).toEqual([['a', '', '']]);
    expect(await parseAll(['a"b,c\n'])).toEqual([['a"b', 'c']]); // a stray quote inside an unquoted field is kept
  });

  it('refuses text after a closing quote, an unclosed quote and bytes that are not UTF-8', async () => {
    await expect(parseAll(['a,b\n"x"y,2\n'])).rejects.toThrow(new CsvSyntaxError('unexpected "y" after a closing quote', 2));
    await expect(parseAll(['a,b\n1,2\n"open\n,3\n'])).rejects.toThrow(/line 3: a quoted field is not closed at the end of the file/);
    await expect(parseAll([Uint8Array.of(0x61, 0xff, 0x0a)])).rejects.toThrow(/not UTF-8/);
  });
});
