import { ReactNode, useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';
import { InfoCard } from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import CheckCircle from '@material-ui/icons/CheckCircle';
import Cancel from '@material-ui/icons/Cancel';
import HourglassEmpty from '@material-ui/icons/HourglassEmpty';
import Error from '@material-ui/icons/Error';
import Warning from '@material-ui/icons/Warning';
import RadioButtonUnchecked from '@material-ui/icons/RadioButtonUnchecked';
import {
  DeployRetry,
  GateState,
} from '@ml-governance/plugin-ml-registry-common';
import { Actor } from '../Actor/Actor';
import { RelativeTime } from '../RelativeTime/RelativeTime';
import { DeployTroubleNote } from './DeployTroubleNote';
import { GATE_LABELS, STATE_LABELS } from './gateLabels';

const RETRY_LABELS: Record<DeployRetry, string> = {
  'failed-actions': 'Retry failed actions',
  pipeline: 'Start pipeline again',
};

const ICONS: Record<GateState['state'], typeof CheckCircle> = {
  waiting: RadioButtonUnchecked,
  pending: HourglassEmpty,
  approved: CheckCircle,
  done: CheckCircle,
  rejected: Cancel,
  failed: Error,
  stalled: Warning,
  'not-started': Warning,
};

/**
 * One gate of a version: its state in words and an icon, who decided, when
 * and why (for a decision taken outside Backstage, the AWS identity that
 * took it), what the approvers must know; approve and reject for a pending
 * decision gate, or adopt for an approval taken outside Backstage that is not
 * promoted, disabled with the reason for those not permitted; for a failed
 * promotion or a deploy that failed, stalled or never started, what AWS
 * reports and the retries, disabled for those not permitted; for a deploy
 * gate, the version each of the stage's endpoints runs and the one being
 * rolled out; for a decision the version waits at, what changed.
 */
export function GateCard(props: {
  state: GateState;
  /** What changed, shown to the approvers of a decision gate the version waits at. */
  comparison?: ReactNode;
  /** Set for a decision gate the version waits at, or whose outside approval an approver may adopt. */
  actions?: {
    allowed: boolean;
    deniedReason?: string;
    adopt?: boolean;
    onDecide: (decision: 'approve' | 'reject') => void;
  };
  /** Set for a failed promotion, or a deploy that failed, stalled or never started. */
  retry?: {
    allowed: boolean;
    deniedReason: string;
    onRetry: (retry?: DeployRetry) => void;
  };
}) {
  const { state, actions, retry, comparison } = props;
  const label = GATE_LABELS[state.gate];
  const id = `gate-${state.gate}`;
  const { hash } = useLocation();
  const card = useRef<HTMLDivElement>(null);
  // A link to this decision (Awaiting me, a notification) lands here once the gates have loaded.
  useEffect(() => {
    if (hash === `#${id}`) card.current?.scrollIntoView?.({ block: 'center' });
  }, [hash, id]);
  const Icon = ICONS[state.state];
  return (
    // The card's id is where links to a decision (Awaiting me, notifications) land.
    <div id={id} ref={card} style={{ height: '100%' }}>
      <InfoCard title={label.title} subheader={label.who}>
        <Box display="flex" alignItems="center" gridGap={8}>
          <Icon fontSize="small" aria-hidden />
          <Typography variant="h6" component="p">
            {STATE_LABELS[state.state]}
          </Typography>
        </Box>
        {state.actor && (
          <Typography variant="body2">
            By <Actor who={state.actor} />
          </Typography>
        )}
        {state.at && (
          <Typography variant="body2">
            <RelativeTime at={state.at} />
          </Typography>
        )}
        {state.external && (
          <Typography variant="body2">
            Approved outside Backstage
            {state.external.identity && (
              <>
                {' '}
                by <Actor who={state.external.identity} />
              </>
            )}
            {state.external.promoted === false ? ': not promoted' : ''}
          </Typography>
        )}
        {state.reason && (
          <Typography variant="body2">Why: {state.reason}</Typography>
        )}
        {state.notice && (
          <Typography variant="body2" role="note">
            {state.notice}
          </Typography>
        )}
        {state.runs?.map(run => (
          <Typography
            variant="body2"
            key={`${run.accountId}/${run.endpointName}`}
          >
            Runs v{run.version} on {run.endpointName} ({run.status})
          </Typography>
        ))}
        {state.rollingOut && (
          <Typography variant="body2">
            Rolling out v{state.rollingOut.version}
          </Typography>
        )}
        {state.deploy && <DeployTroubleNote deploy={state.deploy} />}
        {actions?.adopt && (
          <Box mt={2}>
            <Button
              variant="contained"
              color="primary"
              disabled={!actions.allowed}
              onClick={() => actions.onDecide('approve')}
            >
              Adopt approval
            </Button>
          </Box>
        )}
        {actions && !actions.adopt && (
          <Box mt={2} display="flex" gridGap={8} flexWrap="wrap">
            <Button
              variant="contained"
              color="primary"
              disabled={!actions.allowed}
              onClick={() => actions.onDecide('approve')}
            >
              Approve
            </Button>
            <Button
              variant="outlined"
              disabled={!actions.allowed}
              onClick={() => actions.onDecide('reject')}
            >
              Reject
            </Button>
            {!actions.allowed && actions.deniedReason && (
              <Typography variant="caption" display="block">
                {actions.deniedReason}
              </Typography>
            )}
          </Box>
        )}
        {comparison}
        {retry && (
          <Box mt={2} display="flex" gridGap={8} flexWrap="wrap">
            {state.deploy ? (
              state.deploy.retries.map(what => (
                <Button
                  key={what}
                  variant="outlined"
                  disabled={!retry.allowed}
                  onClick={() => retry.onRetry(what)}
                >
                  {RETRY_LABELS[what]}
                </Button>
              ))
            ) : (
              <Button
                variant="outlined"
                disabled={!retry.allowed}
                onClick={() => retry.onRetry()}
              >
                Retry
              </Button>
            )}
            {!retry.allowed && (
              <Typography variant="caption" display="block">
                {retry.deniedReason}
              </Typography>
            )}
          </Box>
        )}
      </InfoCard>
    </div>
  );
}
