import { fileTypeFromBuffer } from 'file-type/core';
import { UploadError } from './errors.ts';
import type { FileTypeRule } from './policy.ts';

/** Markers of content a browser would run or render as a document: refused in any file unless allowed. */
const ACTIVE_MARKERS = [
  '<script',
  '<html',
  '<svg',
  '<!doctype html',
  '<iframe',
  '<object',
  '<embed',
  '<?php',
  '<?xml-stylesheet',
];

/**
 * More of what makes a document HTML (the elements browsers sniff HTML by, and the ones whose event handlers run script
 * without a `<script>`), looked for only in binary files: in an image or a PDF they have no business, while notes in
 * Markdown or text commonly quote them. Each is long enough (4+ bytes) not to turn up by chance in compressed data.
 */
const BINARY_ACTIVE_MARKERS = [
  ...ACTIVE_MARKERS,
  '<head',
  '<body',
  '<img ',
  '<img/',
  '<style',
  '<title',
  '<table',
  '<div',
  '<font',
  '<form',
  '<input',
  '<video',
  '<audio',
  '<details',
  '<math',
  '<!--',
];

const latin1 = new TextDecoder('latin1');

/**
 * True when the bytes hold HTML/SVG/script markers anywhere (polyglots hide them behind valid magic bytes); `binary`
 * files are held to the longer list.
 */
export function hasActiveContent(bytes: Uint8Array, binary = false): boolean {
  const text = latin1.decode(bytes).toLowerCase();
  return (binary ? BINARY_ACTIVE_MARKERS : ACTIVE_MARKERS).some((marker) => text.includes(marker));
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that a file's content agrees with its extension: magic bytes (sniffed with `file-type`) for binary types,
 * valid UTF-8 without magic bytes for text types; and that it holds no active content unless allowed.
 * Throws an {@link UploadError}; returns the content type to store and serve (from the table, never the client).
 *
 * @example
 * const contentType = await inspectFile(bytes, FILE_TYPES.pdf, false);
 */
export async function inspectFile(bytes: Uint8Array, rule: FileTypeRule, allowActive: boolean): Promise<string> {
  const sniffed = await fileTypeFromBuffer(bytes);
  if (rule.sniff === 'text') {
    if (sniffed !== undefined || !isUtf8Text(bytes)) throw new UploadError('UPLOAD_CONTENT_MISMATCH');
    if (rule.contentType === 'application/json') {
      try {
        JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw new UploadError('UPLOAD_CONTENT_MISMATCH');
      }
    }
  } else if (!sniffed || !rule.sniff.includes(sniffed.ext)) {
    throw new UploadError('UPLOAD_CONTENT_MISMATCH');
  }
  if (!(rule.active && allowActive) && hasActiveContent(bytes, rule.sniff !== 'text')) {
    throw new UploadError('UPLOAD_ACTIVE_CONTENT');
  }
  return rule.contentType;
}
