import { useEffect, useState } from 'react';
import useCopyToClipboard from 'react-use/esm/useCopyToClipboard';
import { errorApiRef, useApi } from '@backstage/frontend-plugin-api';
import { IconButton } from '@material-ui/core';
import CopyIcon from '@material-ui/icons/FileCopy';
import DoneIcon from '@material-ui/icons/Done';
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

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
} as const;

/**
 * Copies an ARN, showing a tick (and telling screen readers) for a second
 * after. A plain icon button rather than Backstage's CopyTextButton, whose
 * tooltip machinery costs a table of 100 versions a tenth of a second a page.
 */
function CopyArnButton(props: { arn: string }) {
  const errorApi = useApi(errorApiRef);
  const [{ error }, copy] = useCopyToClipboard();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (error) errorApi.post(error);
  }, [error, errorApi]);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 1000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <>
      <IconButton
        size="small"
        aria-label={`Copy the ARN ${props.arn}`}
        title={copied ? 'ARN copied' : 'Copy the ARN'}
        onClick={() => {
          copy(props.arn);
          setCopied(true);
        }}
      >
        {copied ? (
          <DoneIcon fontSize="inherit" />
        ) : (
          <CopyIcon fontSize="inherit" />
        )}
      </IconButton>
      <span role="status" style={visuallyHidden}>
        {copied ? 'ARN copied' : ''}
      </span>
    </>
  );
}

/** An ARN shortened to its resource, the whole on hover, with a button copying it. */
export function ShortArn(props: { arn: string }) {
  const short = shortArn(props.arn);
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      {/* A title, not a tooltip component: tables show one of these a row. */}
      <span title={props.arn} style={{ overflowWrap: 'anywhere' }}>
        {short}
      </span>
      {short !== props.arn && <CopyArnButton arn={props.arn} />}
    </span>
  );
}
