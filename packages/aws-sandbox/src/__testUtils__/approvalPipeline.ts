import { PipelineDeclaration } from '@aws-sdk/client-codepipeline';

/**
 * A pipeline `name` of two stages, its source `<name>/source.zip` in the
 * seeded pipeline's artifact bucket and a manual approval, run as the seeded
 * pipeline's role: a run that waits for a person and never deploys.
 */
export function approvalPipeline(
  name: string,
  seeded: Pick<PipelineDeclaration, 'roleArn' | 'artifactStore'>,
): PipelineDeclaration {
  return {
    name,
    roleArn: seeded.roleArn,
    artifactStore: seeded.artifactStore,
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            actionTypeId: {
              category: 'Source',
              owner: 'AWS',
              provider: 'S3',
              version: '1',
            },
            configuration: {
              S3Bucket: seeded.artifactStore!.location!,
              S3ObjectKey: `${name}/source.zip`,
              PollForSourceChanges: 'false',
            },
            outputArtifacts: [{ name: 'SourceArtifact' }],
          },
        ],
      },
      {
        name: 'Approve',
        actions: [
          {
            name: 'Approve',
            actionTypeId: {
              category: 'Approval',
              owner: 'AWS',
              provider: 'Manual',
              version: '1',
            },
          },
        ],
      },
    ],
  };
}
