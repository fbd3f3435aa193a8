// The Analyze page's pure decisions: what is refused before uploading, how a refusal reads, which foods "Wrong" offers.
import { FOOD_CLASSES } from '@foodlens/contracts';
import { describe, expect, it } from 'vitest';
import { feedbackLabels } from './feedback-labels';
import { REJECTION_MESSAGES, rejectionMessage } from './rejections';
import { MAX_UPLOAD_BYTES, uploadProblem } from './upload-checks';

const box = { x: 0, y: 0, width: 1, height: 1 };

describe('uploadProblem', () => {
  it('lets photos through, and files whose type the browser could not tell (the server sniffs them)', () => {
    expect(uploadProblem({ name: 'a.jpg', size: 9650, type: 'image/jpeg' })).toBeNull();
    expect(uploadProblem({ name: 'a.png', size: MAX_UPLOAD_BYTES, type: 'image/png' })).toBeNull();
    expect(uploadProblem({ name: 'a.webp', size: 1, type: 'image/webp' })).toBeNull();
    expect(uploadProblem({ name: 'photo', size: 1, type: '' })).toBeNull();
  });

  it('refuses a file over the 10 MiB limit, saying the limit', () => {
    expect(uploadProblem({ name: 'big.jpg', size: MAX_UPLOAD_BYTES + 1, type: 'image/jpeg' })).toBe(
      "“big.jpg” (10.0 MiB) is over the server's 10 MiB upload limit (its default). Choose a smaller photo or resize it.",
    );
    expect(uploadProblem({ name: 'big.jpg', size: 12.5 * 1024 * 1024, type: 'image/jpeg' })).toMatch(/\(12\.5 MiB\) is over/);
  });

  it('refuses what is obviously not a JPEG, PNG or WebP photo', () => {
    expect(uploadProblem({ name: 'notes.txt', size: 10, type: 'text/plain' })).toBe('“notes.txt” is not a photo (text/plain): JPEG, PNG or WebP only.');
    expect(uploadProblem({ name: 'IMG_1.heic', size: 10, type: 'image/heic' })).toBe('“IMG_1.heic” is a HEIC image: JPEG, PNG or WebP only.');
    expect(uploadProblem({ name: 'a.gif', size: 10, type: 'image/gif' })).toMatch(/GIF image/);
  });
});

describe('rejectionMessage', () => {
  it('has words for every reason of the README table, and none for other failures', () => {
    expect(Object.keys(REJECTION_MESSAGES).sort()).toEqual(['bad_format', 'corrupt', 'missing_file', 'pixel_limit', 'too_large']);
    expect(rejectionMessage('bad_format')).toBe("That file isn't a photo we can read: JPEG, PNG or WebP only.");
    expect(rejectionMessage('model_not_deployed')).toBeNull();
    expect(rejectionMessage('toString')).toBeNull();
    expect(rejectionMessage(undefined)).toBeNull();
  });
});

describe('feedbackLabels', () => {
  it("offers the built-in detector's food classes, less the predicted one", () => {
    const labels = feedbackLabels('food-detector', [{ label: 'banana', confidence: 0.9, box }], 'banana');
    expect(labels).toEqual(FOOD_CLASSES.filter((l) => l !== 'banana'));
    expect(labels).toContain('apple');
    expect(feedbackLabels('food-detector', [], null)).toEqual([...FOOD_CLASSES]);
  });

  it("offers another model's answered labels (its label list is not published)", () => {
    const detections = ['tomato', 'banana', 'broccoli'].map((label, i) => ({ label, confidence: 0.5 - i / 10, box }));
    expect(feedbackLabels('colours', detections, 'tomato')).toEqual(['banana', 'broccoli']);
    // a user version of food-detector answering labels outside the food classes
    expect(feedbackLabels('food-detector', detections, 'tomato')).toEqual(['banana', 'broccoli']);
  });
});
