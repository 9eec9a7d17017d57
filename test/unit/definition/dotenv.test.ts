import { expect } from 'chai';
import { parseDotenv } from '../../../lib/definition/dotenv.js';

function entries(text: string): Record<string, string> {
  const parsed = parseDotenv(text);
  expect(parsed.problems, JSON.stringify(parsed.problems)).to.deep.equal([]);
  return Object.fromEntries(parsed.entries);
}

describe('parseDotenv (--envfile)', () => {
  it('reads KEY=value lines, skipping blank lines and # comments', () => {
    expect(entries('# comment\n\nA=1\n  # indented comment\nB=two words\n')).to.deep.equal({ A: '1', B: 'two words' });
  });

  it('accepts export, blanks around =, CRLF line ends and empty values', () => {
    expect(entries('export A=1\r\nB = 2\r\n  C=\nexport\tD =  x  \n')).to.deep.equal({ A: '1', B: '2', C: '', D: 'x' });
  });

  it('cuts an unquoted value at a blank followed by #, not at a # inside it', () => {
    expect(entries('URL=http://x/#top # the comment\nCOLOR=#fff\n')).to.deep.equal({ URL: 'http://x/#top', COLOR: '#fff' });
  });

  it('keeps single- and backtick-quoted values literal', () => {
    expect(entries("A='a $b \\n # not a comment'\nB=`it's`\n")).to.deep.equal({ A: 'a $b \\n # not a comment', B: "it's" });
  });

  it('expands \\n, \\r, \\t, \\" and \\\\ in double quotes, and keeps other escapes', () => {
    expect(entries('A="l1\\nl2\\t\\"q\\" \\\\ \\d"\n')).to.deep.equal({ A: 'l1\nl2\t"q" \\ \\d' });
  });

  it('allows a comment after a closing quote', () => {
    expect(entries('A="x" # why\nB=\'y\'   \n')).to.deep.equal({ A: 'x', B: 'y' });
  });

  it('reads quoted values over several lines', () => {
    const text = 'KEY="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1\n';
    expect(entries(text)).to.deep.equal({ KEY: '-----BEGIN-----\nabc\n-----END-----', NEXT: '1' });
  });

  it('does not expand $VAR and keeps the last of duplicate keys', () => {
    expect(entries('A=1\nB=$A\nA=2\n')).to.deep.equal({ A: '2', B: '$A' });
  });

  it('reports every malformed line with its line and column', () => {
    const { entries: found, problems } = parseDotenv('GOOD=1\nthis line is wrong\n1BAD=x\n  QUOTED="ok" trailing\nexport =v\n');
    expect(Object.fromEntries(found)).to.deep.equal({ GOOD: '1' });
    expect(problems).to.deep.equal([
      { line: 2, column: 1, message: 'expected KEY=value, got "this line is wrong"' },
      { line: 3, column: 1, message: 'invalid variable name "1BAD" (letters, digits, _, . and -, not starting with a digit)' },
      { line: 4, column: 15, message: 'unexpected text after the closing ": "trailing"' },
      { line: 5, column: 8, message: 'invalid variable name "" (letters, digits, _, . and -, not starting with a digit)' },
    ]);
  });

  it('reports an unterminated quote at the line that opened it', () => {
    const { problems } = parseDotenv('A=1\nB="never closed\nC=3\n');
    expect(problems).to.deep.equal([{ line: 2, column: 3, message: 'unterminated "-quoted value (no closing ")' }]);
  });
});
