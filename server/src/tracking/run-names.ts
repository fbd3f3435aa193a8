// Run ids and made-up run names, as MLflow makes them: uuid4 hex, and "<predicate>-<noun>-<0..999>" when a run is
// created without a name (mlflow/utils/name_utils.py uses much longer word lists; any such name will do).
import { randomInt, randomUUID } from 'node:crypto';

export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}

const PREDICATES = [
  'able', 'agreeable', 'amazing', 'bedecked', 'big', 'bold', 'brave', 'bright', 'calm', 'capable', 'casual', 'clean',
  'clever', 'crawling', 'dapper', 'delicate', 'dashing', 'enchanting', 'fearless', 'gentle', 'glamorous', 'grandiose',
  'handsome', 'honorable', 'illustrious', 'indecisive', 'judicious', 'kindly', 'learned', 'loud', 'luminous',
  'masked', 'melodic', 'nebulous', 'omniscient', 'placid', 'polite', 'puzzled', 'redolent', 'resilient', 'rogue',
  'rumbling', 'secretive', 'sedate', 'silent', 'skillful', 'smiling', 'spiffy', 'stately', 'suave', 'sassy',
  'thoughtful', 'traveling', 'trusting', 'unequaled', 'upbeat', 'valuable', 'victorious', 'welcoming', 'wistful',
] as const;

const NOUNS = [
  'ant', 'ape', 'asp', 'auk', 'bass', 'bat', 'bear', 'bee', 'bird', 'boar', 'bug', 'calf', 'carp', 'cat', 'chimp',
  'cod', 'colt', 'conch', 'cow', 'crab', 'crane', 'croc', 'crow', 'cub', 'deer', 'doe', 'dog', 'dolphin', 'donkey',
  'dove', 'duck', 'eel', 'elk', 'fawn', 'finch', 'fish', 'flea', 'fly', 'foal', 'fowl', 'fox', 'frog', 'gnat', 'gnu',
  'goat', 'goose', 'grouse', 'grub', 'gull', 'hare', 'hawk', 'hen', 'hog', 'horse', 'hound', 'jay', 'kit', 'koi',
  'lamb', 'lark', 'loon', 'lynx', 'mare', 'midge', 'mink', 'mole', 'moose', 'moth', 'mouse', 'mule', 'newt', 'owl',
  'ox', 'panda', 'penguin', 'perch', 'pig', 'pug', 'quail', 'ram', 'rat', 'ray', 'robin', 'roo', 'rook', 'seal',
  'shad', 'shark', 'sheep', 'shoat', 'shrew', 'shrike', 'shrimp', 'skink', 'skunk', 'sloth', 'slug', 'smelt', 'snail',
  'snake', 'snipe', 'sow', 'sponge', 'squid', 'squirrel', 'stag', 'steed', 'stoat', 'stork', 'swan', 'tern', 'toad',
  'trout', 'turtle', 'vole', 'wasp', 'whale', 'wolf', 'worm', 'wren', 'yak', 'zebra',
] as const;

export function randomRunName(): string {
  return `${PREDICATES[randomInt(PREDICATES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
