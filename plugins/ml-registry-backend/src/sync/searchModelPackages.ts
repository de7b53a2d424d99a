import {
  ModelPackage,
  SageMakerClient,
  SearchCommand,
  SearchCommandInput,
} from '@aws-sdk/client-sagemaker';

type RawPackage = Omit<ModelPackage, 'CreationTime' | 'LastModifiedTime'> & {
  CreationTime?: number | string;
  LastModifiedTime?: number | string;
};

/**
 * awsJson1_1 sends timestamps as epoch seconds, possibly fractional
 * (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html).
 */
function epochSeconds(value: number | string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(Number(value) * 1000);
}

/** One Search page's model packages, from its JSON body. */
export function parseSearchPage(body: string): {
  packages: ModelPackage[];
  nextToken?: string;
} {
  const page = JSON.parse(body) as {
    Results?: { ModelPackage?: RawPackage }[];
    NextToken?: string;
  };
  const packages: ModelPackage[] = [];
  for (const result of page.Results ?? []) {
    const p = result.ModelPackage;
    if (!p?.ModelPackageArn) continue;
    // Converted in place: the parsed page is ours, and a copy of each package was garbage at once.
    const converted = p as ModelPackage;
    converted.CreationTime = epochSeconds(p.CreationTime);
    converted.LastModifiedTime = epochSeconds(p.LastModifiedTime);
    packages.push(converted);
  }
  return { packages, nextToken: page.NextToken || undefined };
}

type Next = (args: any) => Promise<{ response: unknown; output: any }>;

async function readBody(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  // Kept as they come (Buffer.concat takes any Uint8Array): a copy of each would be garbage at once.
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Pages through SageMaker Search over model packages, a page at a time.
 *
 * The SDK's generic deserialiser walks every member of every package against
 * its schema (inference specifications, metrics, drift checks...), which was
 * most of a first sync's CPU time. A successful page is parsed here instead:
 * one JSON.parse, its two timestamps converted, everything else left as sent
 * (awsJson1_1 names members as the model does). The SDK then sees an empty body.
 * Errors are left to the SDK, so throttling is retried and classified as before.
 */
export async function* searchModelPackages(
  client: SageMakerClient,
  input: Omit<SearchCommandInput, 'Resource' | 'NextToken'>,
): AsyncGenerator<ModelPackage[]> {
  let nextToken: string | undefined;
  do {
    const command = new SearchCommand({
      ...input,
      Resource: 'ModelPackage',
      NextToken: nextToken,
    });
    let page: ReturnType<typeof parseSearchPage> | undefined;
    const parsePage = (next: Next) => async (args: any) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: any };
      if (response.statusCode === 200 && response.body) {
        page = parseSearchPage(await readBody(response.body));
        response.body = new TextEncoder().encode('{}');
      }
      return result;
    };
    command.middlewareStack.addRelativeTo(parsePage, {
      name: 'mlRegistrySearchPage',
      relation: 'after',
      toMiddleware: 'deserializerMiddleware',
    });
    await client.send(command);
    if (!page) throw new Error('SageMaker Search answered without a body');
    yield page.packages;
    nextToken = page.nextToken;
  } while (nextToken);
}
