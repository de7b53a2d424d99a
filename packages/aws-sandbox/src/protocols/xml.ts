export const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`);

/**
 * Renders a value as XML members: objects nest, arrays repeat their element
 * (as `member` unless `flatName` is given), Dates become ISO 8601.
 */
export function toXml(value: unknown, flatName?: string): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const tag = flatName ?? 'member';
    return value.map(v => `<${tag}>${toXml(v)}</${tag}>`).join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) =>
        Array.isArray(v) && k.startsWith('@flat:')
          ? toXml(v, k.slice(6))
          : `<${k}>${toXml(v)}</${k}>`,
      )
      .join('');
  }
  return escapeXml(String(value));
}
