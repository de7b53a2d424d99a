/**
 * An error that answers with its own status: the refusals HTTP itself defines
 * (405, 413, 415) have no class in `@backstage/errors`.
 */
export class HttpRefusal extends Error {
  constructor(
    readonly statusCode: 405 | 413 | 415,
    name: string,
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}
