import {
  CreateModelCardCommand,
  DescribeModelCardCommand,
  ListModelCardVersionsCommand,
  UpdateModelCardCommand,
} from '@aws-sdk/client-sagemaker';
import { clients, SHARED, useSandbox } from '../../__testUtils__/clients';

describe('SageMaker model card transitions', () => {
  const sandbox = useSandbox();
  const sm = () => clients(sandbox.current, SHARED).sagemaker;
  const versions = async (name: string) =>
    (await sm().send(new ListModelCardVersionsCommand({ ModelCardName: name })))
      .ModelCardVersionSummaryList ?? [];

  it('moves a card through any status, one version per change', async () => {
    await sm().send(
      new CreateModelCardCommand({
        ModelCardName: 'review',
        Content: '{}',
        ModelCardStatus: 'Draft',
      }),
    );
    for (const status of [
      'PendingReview',
      'Draft',
      'Approved',
      'PendingReview',
    ] as const) {
      await sm().send(
        new UpdateModelCardCommand({
          ModelCardName: 'review',
          ModelCardStatus: status,
        }),
      );
    }
    expect(
      (
        await sm().send(
          new DescribeModelCardCommand({ ModelCardName: 'review' }),
        )
      ).ModelCardStatus,
    ).toBe('PendingReview');
    expect(await versions('review')).toHaveLength(5);
  });

  it('refuses content and status in one call, changing nothing', async () => {
    await sm().send(
      new CreateModelCardCommand({
        ModelCardName: 'both',
        Content: '{}',
        ModelCardStatus: 'Draft',
      }),
    );
    const both = await sm()
      .send(
        new UpdateModelCardCommand({
          ModelCardName: 'both',
          Content: '{"model_overview":{}}',
          ModelCardStatus: 'PendingReview',
        }),
      )
      .catch(e => e);
    expect(both.name).toBe('ValidationException');
    expect(both.message).toBe(
      'You cannot update both model card content and model card status in a single call.',
    );
    expect(await versions('both')).toHaveLength(1);
  });

  it('takes content only in the model card JSON schema, naming what is not', async () => {
    const create = (content: unknown) =>
      sm()
        .send(
          new CreateModelCardCommand({
            ModelCardName: 'schema',
            Content: JSON.stringify(content),
            ModelCardStatus: 'Draft',
          }),
        )
        .catch(e => e);
    const refusals = [
      [{ lineage: {} }, 'lineage is not one of its sections'],
      [
        {
          model_overview: { model_name: 'm', source_model_package_arn: 'arn' },
        },
        'model_overview.source_model_package_arn is not a member of the model overview',
      ],
      [
        { additional_information: { custom_details: { 'source-arn': 'arn' } } },
        'additional_information.custom_details.source-arn must be a string',
      ],
      [
        { additional_information: { custom_details: { auc: 0.9 } } },
        'additional_information.custom_details.auc must be a string',
      ],
      [['model_overview'], 'it must be an object'],
    ] as const;
    for (const [content, message] of refusals) {
      const refused = await create(content);
      expect(refused.name).toBe('ValidationException');
      expect(refused.message).toContain(
        `Content does not follow the model card JSON schema: ${message}`,
      );
    }
    const accepted = await create({
      model_overview: {
        model_name: 'm',
        model_version: 3,
        model_artifact: ['s3://b/model.tar.gz'],
      },
      additional_information: {
        custom_details: {
          source_model_package_arn:
            'arn:aws:sagemaker:us-east-1:222222222222:model-package/m/3',
        },
      },
      evaluation_details: [
        {
          name: 'v3',
          metric_groups: [
            {
              name: 'quality',
              metric_data: [{ name: 'auc', type: 'number', value: 0.93 }],
            },
          ],
        },
      ],
    });
    expect(accepted.ModelCardArn).toMatch(/:model-card\/schema$/);
  });

  it("freezes an archived card's content, which can still be read", async () => {
    await sm().send(
      new CreateModelCardCommand({
        ModelCardName: 'retired',
        Content: '{"model_overview":{}}',
        ModelCardStatus: 'Approved',
      }),
    );
    await sm().send(
      new UpdateModelCardCommand({
        ModelCardName: 'retired',
        ModelCardStatus: 'Archived',
      }),
    );
    const edit = await sm()
      .send(
        new UpdateModelCardCommand({ ModelCardName: 'retired', Content: '{}' }),
      )
      .catch(e => e);
    expect(edit.name).toBe('ValidationException');
    expect(edit.message).toBe('Model Card is in Archived state');
    expect(
      await sm().send(
        new DescribeModelCardCommand({ ModelCardName: 'retired' }),
      ),
    ).toMatchObject({
      ModelCardVersion: 2,
      ModelCardStatus: 'Archived',
      Content: '{"model_overview":{}}',
    });
  });
});
