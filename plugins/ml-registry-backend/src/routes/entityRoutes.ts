import { RouteContext } from './RouteContext';

/** The catalog entities of every account's models; only other backend plugins (the catalog module) read them. */
export function entityRoutes({ router, httpAuth, entities }: RouteContext) {
  router.get('/entities', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    res.json({ items: await entities() });
  });
}
