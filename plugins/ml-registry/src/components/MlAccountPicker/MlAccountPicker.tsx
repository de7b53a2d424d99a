import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  FormControl,
  FormHelperText,
  InputLabel,
  MenuItem,
  Select,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { mlRegistryApiRef } from '../../api/MlRegistryApi';

/** `ui:options` of the field: which kinds of account to offer. */
export interface MlAccountPickerOptions {
  stages?: string[];
}

/**
 * A template parameter that picks one of the ML platform's accounts, as
 * configured under mlRegistry.accounts (read through the registry's API), by
 * its name; `ui:options.stages` narrows the choice, e.g. to dev accounts.
 */
export function MlAccountPicker(
  props: FieldExtensionComponentProps<string, MlAccountPickerOptions>,
) {
  const {
    schema,
    uiSchema,
    formData,
    onChange,
    required,
    rawErrors,
    idSchema,
  } = props;
  const api = useApi(mlRegistryApiRef);
  const { value, loading, error } = useAsync(() => api.listAccounts(), [api]);
  const stages = uiSchema?.['ui:options']?.stages;
  const accounts = (value?.items ?? []).filter(
    a => !stages || stages.includes(a.stage),
  );
  const labelId = `${idSchema?.$id ?? 'ml-account'}-label`;
  let help = schema.description;
  if (error) help = `Could not read the accounts: ${error.message}`;
  else if (!loading && accounts.length === 0)
    help = `No ${
      stages ? stages.join(' or ') : ''
    } account is configured under mlRegistry.accounts`;
  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={!!error || (!!rawErrors?.length && !formData)}
    >
      <InputLabel id={labelId}>{schema.title ?? 'AWS account'}</InputLabel>
      <Select
        labelId={labelId}
        value={formData ?? ''}
        disabled={loading}
        onChange={e => onChange(String(e.target.value))}
      >
        {accounts.map(a => (
          <MenuItem key={a.name} value={a.name}>
            {a.name} ({a.stage}, {a.accountId})
          </MenuItem>
        ))}
      </Select>
      {help && <FormHelperText>{help}</FormHelperText>}
    </FormControl>
  );
}
