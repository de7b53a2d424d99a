import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import {
  DECISION_GATE_TABLE,
  DECISION_GATES,
} from '@ml-governance/plugin-ml-registry-common';
import { AwaitingDecisions } from './findAwaitingDecisions';
import { useAwaitingMe } from './useAwaitingMe';

/** Why nothing awaits the user: who decides each gate, what waits for them, and the user's groups. */
function WhyNothing(props: {
  others: AwaitingDecisions['others'];
  groups: string[];
}) {
  const waiting = DECISION_GATES.filter(g => props.others[g]).map(g => {
    const { title, who } = DECISION_GATE_TABLE[g].label;
    const n = props.others[g]!;
    return `${n} ${title.toLowerCase()}${n > 1 ? 's' : ''} (for ${who}s)`;
  });
  return (
    <Typography variant="body2">
      Nothing awaits your decision: no version waits at a gate your groups
      decide ({props.groups.join(', ') || 'you are in no group'}).{' '}
      {waiting.length > 0
        ? `Waiting for others: ${waiting.join(', ')}.`
        : 'No version waits at any gate you can see.'}{' '}
      Dev approvals are taken by the team's lead data scientists, central
      approvals by ML engineers, governance approvals by governance officers.
    </Typography>
  );
}

/**
 * Every decision the signed-in user may take now, each linking to its card
 * on the version's page; with nothing to do, why.
 */
export function AwaitingMeCard() {
  const { value, loading, error } = useAwaitingMe();
  const entityUrl = useEntityRefLink();
  return (
    <InfoCard title="Awaiting me">
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.mine.length === 0 && (
        <WhyNothing others={value.others} groups={value.groups} />
      )}
      {value && value.mine.length > 0 && (
        <List dense aria-label="Decisions awaiting me">
          {value.mine.map(d => (
            <ListItem key={`${d.gate} ${d.arn}`}>
              <ListItemText
                primary={
                  <Link
                    to={`${entityUrl(d.model.entityRef)}/model?version=${
                      d.version
                    }#gate-${d.gate}`}
                  >
                    {DECISION_GATE_TABLE[d.gate].label.title}:{' '}
                    {d.model.groupName} v{d.version}
                  </Link>
                }
                secondary={`${d.model.accountName} (${d.model.stage})`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
