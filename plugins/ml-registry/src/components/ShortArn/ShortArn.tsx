import { CopyTextButton } from '@backstage/core-components';
import { Tooltip } from '@material-ui/core';
import { parseArn } from '@ml-governance/plugin-ml-registry-common';

/**
 * The part of an ARN people tell apart, e.g. `model-package/fraud-detection/3`
 * or, for a role session, `assumed-role/DataScientist/alice`: the partition,
 * service, region and account are the same for everything on one page, and
 * show on hover. Anything that is not an ARN stays as it is.
 */
export function shortArn(text: string): string {
  const arn = parseArn(text);
  return arn ? arn.resource : text;
}

/** An ARN shortened to its resource, the whole on hover, with a button copying it. */
export function ShortArn(props: { arn: string }) {
  const short = shortArn(props.arn);
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      <Tooltip title={props.arn}>
        <span style={{ overflowWrap: 'anywhere' }}>{short}</span>
      </Tooltip>
      {short !== props.arn && (
        <CopyTextButton
          text={props.arn}
          tooltipText="ARN copied"
          aria-label={`Copy the ARN ${props.arn}`}
        />
      )}
    </span>
  );
}
