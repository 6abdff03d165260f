// The Ink front end: one screen per step, keys → events. Esc = back one step (quit at the first);
// Ctrl-C = cancel from anywhere (raw mode: it arrives as a key, exitOnCtrlC is off). The app exits
// itself once the machine reaches a terminal step, leaving the summary on screen.
import React, { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Box, measureElement, Static, useApp, useInput, useWindowSize, type DOMElement } from 'ink';
import type { Clock } from '../src/ports.js';
import { isTerminal, viewOf } from '../src/wizard/selectors.js';
import type { EventBody, WizardState } from '../src/wizard/state.js';
import { summaryModel } from '../src/wizard/summary.js';
import { ChooseAgent } from './ChooseAgent.js';
import { ChooseCacheTtl } from './ChooseCacheTtl.js';
import { ChooseMethod } from './ChooseMethod.js';
import { ChooseModel } from './ChooseModel.js';
import { CopyProfiles } from './CopyProfiles.js';
import { EnterCredential } from './EnterCredential.js';
import { FixIt } from './FixIt.js';
import { Frame } from './Frame.js';
import { LookFirst } from './LookFirst.js';
import { NameAgent } from './NameAgent.js';
import { OfferBilling } from './OfferBilling.js';
import { NameProfile } from './NameProfile.js';
import { ReplaceOrRename } from './ReplaceOrRename.js';
import { SetupToken } from './SetupToken.js';
import { Spinner } from './Spinner.js';
import { Summary } from './Summary.js';
import { UseFirst } from './UseFirst.js';
import { Validating } from './Validating.js';
import type { StepProps } from './props.js';
import { Verdict } from './Verdict.js';

export interface WizardStoreView {
  getState(): WizardState;
  subscribe(listener: () => void): () => void;
  dispatch(event: EventBody): void;
}

export interface AppProps {
  store: WizardStoreView;
  clock: Clock;
  /** Spinners move (off under CI). */
  animate?: boolean;
}

const ANIMATED = new Set(['look-first', 'running-setup-token', 'validating', 'checking-billing', 'saving']);

export function App({ store, clock, animate = true }: AppProps) {
  const full = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  // The screens get the state without effects and without the new credential's secret (StepProps).
  const state = useMemo(() => viewOf(full), [full]);
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const [now, setNow] = useState(() => clock.now());
  const step = state.flow.step;
  // A live area as tall as the terminal is cleared and rewritten whole on every frame (a copy of
  // it lands in the scrollback each time): such a screen does not tick. Measured after each
  // frame; a resize measures again.
  const live = useRef<DOMElement>(null);
  const [height, setHeight] = useState(0);
  useEffect(() => {
    if (!live.current) return;
    const h = measureElement(live.current).height;
    if (h !== height) setHeight(h);
  });
  const tall = height >= rows;
  const ticking = ANIMATED.has(step) && !tall;

  useEffect(() => {
    if (!ticking) return;
    setNow(clock.now());
    const t = setInterval(() => setNow(clock.now()), animate ? 100 : 1000);
    return () => clearInterval(t);
  }, [ticking, step, animate]);

  useEffect(() => {
    if (isTerminal(state)) {
      // Let the final frame reach the terminal before Ink unmounts.
      const t = setTimeout(() => exit(), 0);
      return () => clearTimeout(t);
    }
  }, [state]);

  useInput((input, key) => {
    if (isTerminal(state)) return;
    if (key.ctrl && input === 'c') store.dispatch({ type: 'cancelled' });
    else if (key.escape) store.dispatch({ type: 'went-back' });
  });

  const dispatch = store.dispatch;
  // Each arrival at a step remounts it: fresh cursor, fresh input.
  const k = `${step}:${state.history.length}:${state.flow.attempt}:${state.flow.fixIndex}:${state.flow.notice?.text ?? ''}`;
  const p: StepProps = { state, dispatch };
  let screen: React.ReactNode;
  switch (step) {
    case 'look-first':
      screen = <LookFirst key={k} {...p} now={now} animate={animate} />;
      break;
    case 'fix-it':
      screen = <FixIt key={k} {...p} />;
      break;
    case 'choose-agent':
      screen = <ChooseAgent key={k} {...p} />;
      break;
    case 'name-agent':
      screen = <NameAgent key={k} {...p} />;
      break;
    case 'copy-profiles':
      screen = <CopyProfiles key={k} {...p} />;
      break;
    case 'choose-method':
      screen = <ChooseMethod key={k} {...p} />;
      break;
    case 'enter-credential':
      screen = <EnterCredential key={k} {...p} />;
      break;
    case 'running-setup-token':
      screen = <SetupToken key={`${step}:${state.history.length}`} {...p} now={now} animate={animate && !tall} />;
      break;
    case 'validating':
      screen = <Validating key={k} state={state} now={now} animate={animate} />;
      break;
    case 'offer-billing':
      screen = <OfferBilling key={k} {...p} />;
      break;
    case 'checking-billing':
      screen = <Validating key={k} state={state} now={now} animate={animate} billed />;
      break;
    case 'verdict':
      screen = <Verdict key={k} {...p} />;
      break;
    case 'replace-or-rename':
      screen = <ReplaceOrRename key={k} {...p} />;
      break;
    case 'name-profile':
      screen = <NameProfile key={k} {...p} />;
      break;
    case 'choose-model':
      screen = <ChooseModel key={k} {...p} />;
      break;
    case 'choose-cache-ttl':
      screen = <ChooseCacheTtl key={k} {...p} />;
      break;
    case 'use-first':
      screen = <UseFirst key={k} {...p} />;
      break;
    case 'saving':
      screen = (
        <Frame state={state}>
          <Spinner
            elapsedMs={0}
            animate={false}
            label={
              state.options.dryRun
                ? 'Preparing the summary (dry run)…'
                : state.cancelRequested
                  ? 'Finishing the write first (it was already under way)…'
                  : 'Writing the config and the auth store…'
            }
          />
        </Frame>
      );
      break;
    case 'done':
    case 'failed':
    case 'cancelled':
      // Printed once, above the (now empty) live area: a summary taller than the terminal is
      // never redrawn, so it never repeats itself in the scrollback.
      screen = (
        <Static items={[summaryModel(state, clock.now(), columns)]}>
          {(m, i) => (
            <Box key={i} flexDirection="column" paddingBottom={1}>
              <Summary model={m} width={Math.max(40, columns - 1)} />
            </Box>
          )}
        </Static>
      );
      break;
  }
  return (
    <Box ref={live} flexDirection="column">
      {screen}
    </Box>
  );
}

/** The element to render, so callers need no JSX (and no React import of their own). */
export function appElement(props: AppProps): React.ReactElement {
  return <App {...props} />;
}
