import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import PersonIcon from '@material-ui/icons/Person';
import { useState } from 'react';

/** Must match the header the backend's local sign-in provider reads. */
const LOCAL_SIGN_IN_HEADER = 'x-local-sign-in-user';
/** Keeps the pick for this tab, so a reload does not ask again. */
const STORAGE_KEY = 'ml-governance/local-sign-in-user';

/**
 * Local development only: pick one of the example users, one per role, and
 * sign in as them with no password. The users come from `localSignIn.users`.
 */
export function LocalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const [picked, setPicked] = useState(
    () => sessionStorage.getItem(STORAGE_KEY) ?? undefined,
  );
  const pick = (entityRef: string) => {
    sessionStorage.setItem(STORAGE_KEY, entityRef);
    setPicked(entityRef);
  };
  const users = (config.getOptionalConfigArray('localSignIn.users') ?? []).map(
    user => ({
      entityRef: user.getString('entityRef'),
      role: user.getOptionalString('role'),
    }),
  );

  if (picked) {
    return (
      <ProxiedSignInPage
        {...props}
        onSignInSuccess={identityApi =>
          props.onSignInSuccess({
            getProfileInfo: () => identityApi.getProfileInfo(),
            getBackstageIdentity: () => identityApi.getBackstageIdentity(),
            getCredentials: () => identityApi.getCredentials(),
            // Signing out returns to the list instead of the same user.
            signOut: async () => {
              sessionStorage.removeItem(STORAGE_KEY);
              await identityApi.signOut();
            },
          })
        }
        provider="local-sign-in"
        headers={{ [LOCAL_SIGN_IN_HEADER]: picked }}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title={config.getOptionalString('app.title') ?? 'Backstage'}
        subtitle="Local sign-in: pick an example user. For local development only."
      />
      <Content>
        <InfoCard title="Sign in as">
          {users.length === 0 ? (
            <p>
              No users are listed under localSignIn.users in app-config.yaml.
            </p>
          ) : (
            <List aria-label="Example users">
              {users.map(user => (
                <ListItem
                  key={user.entityRef}
                  button
                  onClick={() => pick(user.entityRef)}
                >
                  <ListItemIcon>
                    <PersonIcon />
                  </ListItemIcon>
                  <ListItemText
                    primary={user.entityRef.replace(/^user:default\//, '')}
                    secondary={user.role}
                  />
                </ListItem>
              ))}
            </List>
          )}
        </InfoCard>
      </Content>
    </Page>
  );
}
