import {
  CopyObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  CreateDomainCommand,
  CreateModelPackageGroupCommand,
  ListDomainsCommand,
  ListModelPackageGroupsCommand,
  UpdateModelPackageCommand,
} from '@aws-sdk/client-sagemaker';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import {
  clients,
  FRAUD_DEV,
  SHARED,
  TOOLING,
  useSandbox,
} from '../__testUtils__/clients';
import { startSandbox } from '../sandbox';
import { checkRestResponse } from '.';
import { sagemakerOperations } from '../services/sagemaker';

/** Rewrites the body a real SDK client serialized, to send what the SDK never would. */
function tamper<C extends { middlewareStack: any }>(
  client: C,
  rewrite: (body: string) => string,
): C {
  client.middlewareStack.add(
    (next: any) => (args: any) => {
      const { body } = args.request;
      args.request.body = rewrite(
        typeof body === 'string' ? body : new TextDecoder().decode(body),
      );
      args.request.headers['content-length'] = String(
        Buffer.byteLength(args.request.body),
      );
      return next(args);
    },
    { step: 'build', priority: 'low' },
  );
  return client;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the request was accepted');
    },
    e => ({
      name: e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode,
    }),
  );

describe('the contract refuses what AWS refuses', () => {
  const sandbox = useSandbox();
  const dev = () => clients(sandbox.current, FRAUD_DEV);

  describe('a JSON service (SageMaker)', () => {
    it('a missing required member', async () => {
      expect(
        await refusal(
          dev().sagemaker.send(new CreateModelPackageGroupCommand({} as any)),
        ),
      ).toEqual({
        name: 'ValidationException',
        status: 400,
        message:
          "1 validation error detected: Value null at 'modelPackageGroupName' failed to satisfy constraint: Member must not be null",
      });
    });

    it('an unknown enum value', async () => {
      const arn = `arn:aws:sagemaker:us-east-1:${FRAUD_DEV}:model-package/fraud-detection/1`;
      expect(
        await refusal(
          dev().sagemaker.send(
            new UpdateModelPackageCommand({
              ModelPackageArn: arn,
              ModelApprovalStatus: 'Maybe' as any,
            }),
          ),
        ),
      ).toEqual({
        name: 'ValidationException',
        status: 400,
        message:
          "1 validation error detected: Value 'Maybe' at 'modelApprovalStatus' failed to satisfy constraint: Member must satisfy enum value set: [Approved, Rejected, PendingManualApproval]",
      });
    });

    it('a name that breaks the pattern, and one too long, every violation listed', async () => {
      expect(
        await refusal(
          dev().sagemaker.send(
            new CreateModelPackageGroupCommand({
              ModelPackageGroupName: 'no spaces',
            }),
          ),
        ),
      ).toEqual({
        name: 'ValidationException',
        status: 400,
        message:
          "1 validation error detected: Value 'no spaces' at 'modelPackageGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
      });
      const long = 'a'.repeat(64);
      expect(
        (
          await refusal(
            dev().sagemaker.send(
              new CreateModelPackageGroupCommand({
                ModelPackageGroupName: long,
              }),
            ),
          )
        ).message,
      ).toBe(
        `2 validation errors detected: Value '${long}' at 'modelPackageGroupName' failed to satisfy constraint: Member must have length less than or equal to 63; ` +
          `Value '${long}' at 'modelPackageGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
      );
    });

    it('a union with none of its members set', async () => {
      const refused = await refusal(
        dev().sagemaker.send(
          new CreateDomainCommand({
            DomainName: 'unioned',
            AuthMode: 'IAM',
            VpcId: 'vpc-0a1b2c3d',
            SubnetIds: ['subnet-0a1b2c3d'],
            DefaultUserSettings: {
              ExecutionRole: `arn:aws:iam::${FRAUD_DEV}:role/sagemaker-execution`,
              CustomFileSystemConfigs: [{} as any],
            },
          }),
        ),
      );
      expect(refused).toEqual({
        name: 'ValidationException',
        status: 400,
        message:
          "1 validation error detected: Value '{}' at 'defaultUserSettings.customFileSystemConfigs.1.member' failed to satisfy constraint: Member must have exactly one member set, not 0",
      });
    });

    it('a member the model does not define, and a value of the wrong type, as SerializationException', async () => {
      const unknown = tamper(dev().sagemaker, body =>
        JSON.stringify({ ...JSON.parse(body), Colour: 'blue' }),
      );
      expect(
        await refusal(unknown.send(new ListModelPackageGroupsCommand({}))),
      ).toEqual({
        name: 'SerializationException',
        status: 400,
        message: "Member 'colour' is not defined in the model",
      });
      const wrongType = tamper(dev().sagemaker, body =>
        JSON.stringify({ ...JSON.parse(body), MaxResults: 'ten' }),
      );
      expect(
        await refusal(wrongType.send(new ListModelPackageGroupsCommand({}))),
      ).toEqual({
        name: 'SerializationException',
        status: 400,
        message:
          "Value 'ten' at 'maxResults' failed to satisfy constraint: Member must be an integer",
      });
    });
  });

  describe('SQS (awsJson1_0, query-compatible)', () => {
    it('answers with its query-era codes, naming the parameter', async () => {
      const sqs = clients(sandbox.current, TOOLING).sqs;
      expect(
        await refusal(sqs.send(new ReceiveMessageCommand({} as any))),
      ).toEqual({
        name: 'MissingParameter',
        status: 400,
        message: 'The request must contain the parameter QueueUrl.',
      });
      const queueUrl = `${sandbox.current.url}/${TOOLING}/ml-registry-events`;
      expect(
        await refusal(
          sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MessageSystemAttributeNames: ['Colour' as any],
            }),
          ),
        ),
      ).toEqual({
        name: 'InvalidParameterValue',
        status: 400,
        message: expect.stringMatching(
          /^Value Colour for parameter MessageSystemAttributeNames\.1 is invalid\. Reason: Member must satisfy enum value set: \[All, /,
        ),
      });
    });
  });

  describe('STS (awsQuery)', () => {
    const sts = () => clients(sandbox.current, TOOLING).sts;
    const roleArn = `arn:aws:iam::${SHARED}:role/backstage-ml`;

    it('a missing required member', async () => {
      expect(
        await refusal(
          sts().send(
            new AssumeRoleCommand({ RoleSessionName: 'backstage' } as any),
          ),
        ),
      ).toEqual({
        name: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      });
    });

    it('a session name that breaks the pattern, one too long, and a duration out of range', async () => {
      const long = 'a'.repeat(65);
      expect(
        await refusal(
          sts().send(
            new AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: long,
              DurationSeconds: 60,
            }),
          ),
        ),
      ).toEqual({
        name: 'ValidationError',
        status: 400,
        message:
          `2 validation errors detected: Value '${long}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
          "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      });
      expect(
        (
          await refusal(
            sts().send(
              new AssumeRoleCommand({
                RoleArn: roleArn,
                RoleSessionName: 'with space',
              }),
            ),
          )
        ).message,
      ).toBe(
        "1 validation error detected: Value 'with space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
    });

    it('decodes lists of structures from their flattened names (Tags.member.N.Key), and bounds their size', async () => {
      const tags = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      const session = await sts().send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'tagged',
          Tags: tags(2),
          TransitiveTagKeys: ['k0'],
        }),
      );
      expect(session.Credentials?.AccessKeyId).toMatch(/^ASIA/);
      const refused = await refusal(
        sts().send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'tagged',
            Tags: tags(51),
          }),
        ),
      );
      expect(refused).toMatchObject({ name: 'ValidationError', status: 400 });
      expect(refused.message).toMatch(
        /^1 validation error detected: Value '\[.*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
      );
    });

    it('a parameter the model does not define', async () => {
      const client = tamper(sts(), body => `${body}&Colour=blue`);
      expect(
        await refusal(
          client.send(
            new AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: 'backstage',
            }),
          ),
        ),
      ).toEqual({
        name: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Member 'colour' is not defined in the model",
      });
    });
  });

  describe('S3 (restXml)', () => {
    const s3 = () => dev().s3;
    const bucket = `sagemaker-us-east-1-${FRAUD_DEV}`;

    it('a missing required body', async () => {
      expect(
        await refusal(
          s3().send(new PutBucketPolicyCommand({ Bucket: bucket } as any)),
        ),
      ).toMatchObject({
        name: 'MissingRequestBodyError',
        status: 400,
      });
    });

    it('an unknown enum value in a header', async () => {
      const refused = await refusal(
        s3().send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'x',
            Body: 'x',
            StorageClass: 'COLD' as any,
          }),
        ),
      );
      expect(refused).toMatchObject({ name: 'InvalidArgument', status: 400 });
      expect(refused.message).toContain(
        "Value 'COLD' at 'storageClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD,",
      );
    });

    it('a copy source that breaks the pattern, and a key too long', async () => {
      const refused = await refusal(
        s3().send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: 'copy',
            CopySource: 'no-key',
          }),
        ),
      );
      expect(refused).toMatchObject({ name: 'InvalidArgument', status: 400 });
      expect(refused.message).toContain(
        "at 'copySource' failed to satisfy constraint: Member must satisfy regular expression pattern: \\/?.+\\/.+",
      );
      expect(
        await refusal(
          s3().send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: 'k'.repeat(1025),
              Body: 'x',
            }),
          ),
        ),
      ).toEqual({
        name: 'KeyTooLongError',
        status: 400,
        message: 'Your key is too long',
      });
    });
  });
});

describe('response checking', () => {
  it('fails a response that breaks the model loudly, naming the operation and the member', async () => {
    const sandbox = await startSandbox({
      port: 0,
      stepMs: 20,
      checkResponses: true,
    });
    const listDomains = jest
      .spyOn(sagemakerOperations, 'ListDomains')
      .mockReturnValue({ Domains: [{ DomainId: 7 }], Colour: 'blue' });
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const refused = await refusal(
        clients(sandbox, FRAUD_DEV).sagemaker.send(new ListDomainsCommand({})),
      );
      const message =
        "aws-sandbox: the sagemaker ListDomains response breaks AWS's model: " +
        "Value '7' at 'domains.1.member.domainId' failed to satisfy constraint: Member must be a string; Member 'colour' is not defined in the model";
      expect(refused).toEqual({
        name: 'InternalFailure',
        status: 500,
        message,
      });
      expect(logged).toHaveBeenCalledWith(message);
    } finally {
      listDomains.mockRestore();
      logged.mockRestore();
      await sandbox.close();
    }
  });

  it('reads an S3 response back from its headers and XML to check it', () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() =>
        checkRestResponse('s3', 'ListObjectsV2', {
          headers: { 'content-type': 'application/xml' },
          body:
            '<?xml version="1.0"?><ListBucketResult><Name>b</Name><KeyCount>one</KeyCount><Colour>blue</Colour>' +
            '<Contents><Key>k</Key><StorageClass>COLD</StorageClass></Contents></ListBucketResult>',
        }),
      ).toThrow(
        "aws-sandbox: the s3 ListObjectsV2 response breaks AWS's model: Value 'one' at 'keyCount' failed to satisfy constraint: Member must be an integer; " +
          "Member 'colour' is not defined in the model; " +
          "Value 'COLD' at 'contents.1.member.storageClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, REDUCED_REDUNDANCY,",
      );
      expect(() =>
        checkRestResponse('s3', 'HeadObject', {
          headers: { 'content-length': '12', etag: '"x"' },
        }),
      ).not.toThrow();
    } finally {
      logged.mockRestore();
    }
  });

  it('lets it through when checking is off, as outside tests', async () => {
    const sandbox = await startSandbox({
      port: 0,
      stepMs: 20,
      checkResponses: false,
    });
    const listDomains = jest
      .spyOn(sagemakerOperations, 'ListDomains')
      .mockReturnValue({ Domains: [], Colour: 'blue' });
    try {
      expect(
        (
          await clients(sandbox, FRAUD_DEV).sagemaker.send(
            new ListDomainsCommand({}),
          )
        ).Domains,
      ).toEqual([]);
    } finally {
      listDomains.mockRestore();
      await sandbox.close();
    }
  });
});
