/**
 * Test helpers shared by the suite's backend packages.
 *
 * @packageDocumentation
 */
export {
  exampleOrgMemberships,
  exampleOrgUserInfoFactory,
} from './exampleOrgUserInfo';
export { until } from './until';
