import fs from 'node:fs';
import path from 'node:path';
import { MODELS_DIR, ServiceModel } from './model';
import { awsPattern } from './pattern';

describe("the models' Java patterns in JavaScript", () => {
  it('translates every pattern of every committed model', () => {
    const untranslatable: string[] = [];
    for (const file of fs
      .readdirSync(MODELS_DIR)
      .filter(f => f !== 'SOURCE.json')) {
      const model: ServiceModel = JSON.parse(
        fs.readFileSync(path.join(MODELS_DIR, file), 'utf8'),
      );
      for (const [name, shape] of Object.entries(model.shapes)) {
        if (!shape.pattern) continue;
        try {
          awsPattern(shape.pattern);
        } catch {
          untranslatable.push(`${file} ${name}: ${shape.pattern}`);
        }
      }
    }
    expect(untranslatable).toEqual([]);
  });

  it('matches the whole value, as java.util.regex matches() does', () => {
    expect(
      awsPattern('[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}').test('fraud-detection'),
    ).toBe(true);
    expect(
      awsPattern('[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}').test('fraud detection'),
    ).toBe(false);
    expect(awsPattern('\\/?.+\\/.+').test('bucket')).toBe(false);
  });

  it("reads Java's ASCII POSIX classes, Unicode categories, needless escapes and \\A…\\z", () => {
    const lambda = awsPattern(
      'arn:[\\p{Alnum}\\-]+:lambda:[\\p{Alnum}\\-]+:[0-9]{12}:function:.*',
    );
    expect(
      lambda.test('arn:aws:lambda:us-east-1:123456789012:function:f'),
    ).toBe(true);
    expect(
      lambda.test('arn:aws:lambda:us-east-é:123456789012:function:f'),
    ).toBe(false);
    expect(
      awsPattern('[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*').test(
        'Équipe données: 2026',
      ),
    ).toBe(true);
    expect(awsPattern('[a-zA-Z0-9\\_\\-]+').test('a_b-c')).toBe(true);
    expect(awsPattern('\\A\\S[\\p{Print}]*\\z').test('x y')).toBe(true);
    // A quantifier on the end anchor means the anchor alone.
    expect(
      awsPattern('([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}').test(
        'team: fraud',
      ),
    ).toBe(true);
  });
});
