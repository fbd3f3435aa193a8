// The server's reasons for refusing an upload (README's table; server/src/images/decode.ts and predict.routes.ts), in
// words for the person holding the photo. The server's own message is shown next to them for the details.

export const REJECTION_MESSAGES: Record<string, string> = {
  missing_file: 'No photo arrived: the file was empty or was not sent. Choose the photo again.',
  bad_format: "That file isn't a photo we can read: JPEG, PNG or WebP only.",
  corrupt: 'That photo is damaged or incomplete (cut off while copying or downloading?): try another copy of it.',
  too_large: 'That photo is larger than the server accepts: choose a smaller photo or resize it.',
  pixel_limit: 'That photo has too many pixels for the server to decode: resize it to a smaller resolution and try again.',
};

/** The human message for a refusal reason, or null for other failures (an unknown model, a server error). */
export function rejectionMessage(reason: string | undefined): string | null {
  return reason !== undefined && Object.hasOwn(REJECTION_MESSAGES, reason) ? REJECTION_MESSAGES[reason]! : null;
}
