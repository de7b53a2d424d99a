/**
 * The service models' `pattern` traits are Java regular expressions, which AWS
 * matches against the whole value (java.util.regex `matches()`). This turns one
 * into the equivalent JavaScript RegExp, anchored at both ends.
 */

// Java's POSIX classes are ASCII-only unless UNICODE_CHARACTER_CLASS is set.
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

// Characters a `u`-mode RegExp lets, or requires, to be escaped outside and inside a class.
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const CLASS_SYNTAX = new Set('^$\\.*+?()[]{}|/-');

function translate(java: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < java.length; i++) {
    const c = java[i];
    if (c === '\\') {
      const next = java[++i];
      if ((next === 'p' || next === 'P') && java[i + 1] === '{') {
        const end = java.indexOf('}', i);
        const name = java.slice(i + 2, end).replace(/^Is/, '');
        i = end;
        const posix = POSIX[name];
        if (!posix) out += `\\${next}{${name}}`;
        else if (inClass && next === 'p') out += posix;
        else out += next === 'p' ? `[${posix}]` : `[^${posix}]`;
      } else if (next === 'A') {
        out += '^';
      } else if (next === 'z' || next === 'Z') {
        out += '$';
      } else if (/[A-Za-z0-9]/.test(next)) {
        out += `\\${next}`;
      } else {
        // Java lets any punctuation be escaped; `u` mode only its own syntax characters.
        out += (inClass ? CLASS_SYNTAX : SYNTAX).has(next) ? `\\${next}` : next;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` or `[` first in a Java class is literal.
      if (java[i + 1] === '^') out += java[++i];
      if (java[i + 1] === ']') out += `\\${java[++i]}`;
      continue;
    }
    // A quantifier on the end anchor (`${1,128}`) means just the anchor in Java.
    if (c === '$' && java[i + 1] === '{') {
      out += c;
      i = java.indexOf('}', i);
      continue;
    }
    out += c;
  }
  return out;
}

const cache = new Map<string, RegExp>();

/** The JavaScript RegExp that matches what the model's Java pattern matches, as a whole value. */
export function awsPattern(java: string): RegExp {
  let regexp = cache.get(java);
  if (!regexp) {
    try {
      regexp = new RegExp(`^(?:${translate(java)})$`, 'u');
    } catch (e: any) {
      throw new Error(
        `aws-sandbox contract: cannot translate the model pattern ${java}: ${e.message}`,
      );
    }
    cache.set(java, regexp);
  }
  return regexp;
}
