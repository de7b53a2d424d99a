import { useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  ChecklistItem,
  DecisionGate,
} from '@ml-governance/plugin-ml-registry-common';
import { CHECKLIST_LABELS, GATE_LABELS, REVIEW_ONLY_ITEMS } from './gateLabels';

/** A reason written in the dialog: a few lines, at most what the backend keeps. */
const WRITTEN_REASON = {
  fullWidth: true,
  multiline: true,
  minRows: 2,
  margin: 'normal',
  inputProps: { maxLength: 900 },
} as const;

/** An item's verdict in words: review-only items inform, the others hold or do not. */
function checklistVerdict(item: ChecklistItem): string {
  if (REVIEW_ONLY_ITEMS.has(item.id)) return 'For review';
  return item.ok ? 'Holds' : 'Does not hold';
}

export interface DecisionInput {
  reason: string;
  accessReviewed?: boolean;
  override?: string;
}

/**
 * Asks why before a gate decision; for governance approval it lists the
 * checklist with each item's evidence, and asks for the access review or a
 * written override when an item does not hold.
 */
export function DecisionDialog(props: {
  open: boolean;
  gate: DecisionGate;
  decision: 'approve' | 'reject';
  version: string;
  checklist?: ChecklistItem[];
  onSubmit: (input: DecisionInput) => Promise<void>;
  onClose: () => void;
}) {
  const { open, gate, decision, version, checklist, onSubmit, onClose } = props;
  const [reason, setReason] = useState('');
  const [accessReviewed, setAccessReviewed] = useState(false);
  const [override, setOverride] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const governance = gate === 'governance-approval' && decision === 'approve';
  const failing = governance
    ? (checklist ?? []).filter(
        i => !i.ok && !(i.id === 'endpoint-access' && accessReviewed),
      )
    : [];
  const canSubmit =
    reason.trim().length > 0 &&
    (failing.length === 0 || override.trim().length > 0) &&
    !busy;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit({
        reason: reason.trim(),
        ...(governance ? { accessReviewed } : {}),
        ...(governance && failing.length ? { override: override.trim() } : {}),
      });
      onClose();
    } catch (e: any) {
      setError(
        e?.body?.error?.message ?? e?.cause?.message ?? e?.message ?? String(e),
      );
    } finally {
      setBusy(false);
    }
  };

  const verb = decision === 'approve' ? 'Approve' : 'Reject';
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="ml-decision-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="ml-decision-title">
        {verb} {version} at {GATE_LABELS[gate].title.toLowerCase()}
      </DialogTitle>
      <DialogContent>
        {governance && checklist && (
          <>
            <Typography variant="subtitle2">Checklist</Typography>
            <List dense aria-label="Governance checklist">
              {checklist.map(item => (
                <ListItem key={item.id}>
                  <ListItemText
                    primary={`${checklistVerdict(item)}: ${
                      CHECKLIST_LABELS[item.id] ?? item.title ?? item.id
                    }`}
                    secondary={item.evidence}
                  />
                </ListItem>
              ))}
            </List>
            <FormControlLabel
              control={
                <Checkbox
                  checked={accessReviewed}
                  onChange={e => setAccessReviewed(e.target.checked)}
                />
              }
              label="I reviewed who can invoke the endpoint"
            />
          </>
        )}
        <TextField
          id="ml-decision-reason"
          label="Reason"
          required
          {...WRITTEN_REASON}
          value={reason}
          onChange={e => setReason(e.target.value)}
          helperText="Recorded in the audit log and in AWS"
        />
        {failing.length > 0 && (
          <TextField
            id="ml-decision-override"
            label="Override: why approve although the checklist does not hold"
            {...WRITTEN_REASON}
            value={override}
            onChange={e => setOverride(e.target.value)}
            helperText="A real reason: the backend asks for a minimum length, and may ask a second governance officer to confirm"
          />
        )}
        {error && (
          <Typography color="error" role="alert">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          onClick={submit}
          color="primary"
          variant="contained"
          disabled={!canSubmit}
        >
          {verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
