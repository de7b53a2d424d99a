import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Backstage apps load lazily; a cold two-core CI machine needs more than the
// default second for the first render.
configure({ asyncUtilTimeout: 10_000 });

// Tests that type into dialogs take seconds on a loaded two-core machine (CI runs
// packages in parallel); Jest's default 5 s per test is too tight for them.
jest.setTimeout(20_000);
