import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ShortArn } from '../ShortArn/ShortArn';

/** Whether `text` is a full entity ref of a user or a group, e.g. `user:default/leo.lead`. */
function isPersonRef(text: string): boolean {
  if (!/^(user|group):[^/\s]+\/\S+$/i.test(text)) return false;
  try {
    parseEntityRef(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Who did something, as people know them: a catalog user or group as a link
 * to its entity under its display name, an AWS identity (an IAM or STS ARN)
 * shortened with a copy button, anything else as written.
 */
export function Actor(props: { who: string }) {
  const { who } = props;
  if (isPersonRef(who)) return <EntityRefLink entityRef={who} />;
  if (who.startsWith('arn:')) return <ShortArn arn={who} />;
  return <>{who}</>;
}
