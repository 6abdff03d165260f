// The `--remote` wizard's screens (src/wizard/remote-flow.ts): method, masked input, `claude
// setup-token` in clawdia's own pty, and what to do when the gateway refused or the link failed.
// The app ends itself whenever the flow leaves its screens (to send over ssh, which may ask its
// own questions on the terminal, or at the end): the runner mounts it again if it comes back.
import React, { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { describeShape } from '../src/core/credentials.js';
import { CONSOLE_API_KEYS } from '../src/core/copy.js';
import { formatDuration } from '../src/core/duration.js';
import type { Clock } from '../src/ports.js';
import { describeOAuthError } from '../src/wizard/notices.js';
import {
  profileLine,
  REMOTE_UI_STEPS,
  remoteMethodChoices,
  remoteView,
  type RemoteEvent,
  type RemoteFlowState,
  type RemoteView,
} from '../src/wizard/remote-flow.js';
import { TitleRow } from './Frame.js';
import { MaskedInput } from './MaskedInput.js';
import { Select, type SelectItem } from './Select.js';
import { Spinner } from './Spinner.js';

export interface RemoteStoreView {
  getState(): RemoteFlowState;
  subscribe(listener: () => void): () => void;
  dispatch(event: RemoteEvent): void;
}

export interface RemoteAppProps {
  store: RemoteStoreView;
  clock: Clock;
  animate?: boolean;
}

function Header({ s, title, keys, children }: { s: RemoteView; title?: string; keys?: string; children?: React.ReactNode }) {
  const o = s.options;
  const n = s.notice;
  return (
    <Box flexDirection="column" paddingX={1}>
      <TitleRow command={`${o.mode === 'setup-token' ? 'models auth setup-token' : 'onboard'} --remote`}>
        <Text>{'  ·  '}gateway </Text>
        <Text bold>{o.dest}</Text>
        <Text dimColor> (clawdia {o.version})</Text>
        <Text>{'  ·  '}agent </Text>
        <Text bold>{o.agent}</Text>
      </TitleRow>
      <Text dimColor>Made here, checked and stored on {o.dest}; nothing is written on this machine.</Text>
      <Text> </Text>
      {n ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text color={n.tone === 'error' ? 'red' : n.tone === 'warn' ? 'yellow' : 'cyan'}>
            {n.tone === 'error' ? '✘' : n.tone === 'warn' ? '!' : 'i'} {n.text}
          </Text>
          {n.hint ? <Text dimColor> {n.hint}</Text> : null}
        </Box>
      ) : null}
      {title ? <Text bold>{title}</Text> : null}
      {children ? (
        <Box flexDirection="column" marginTop={title ? 1 : 0}>
          {children}
        </Box>
      ) : null}
      {keys ? (
        <Box marginTop={1}>
          <Text dimColor>{keys}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

function ChooseMethod({ s, dispatch, now }: { s: RemoteView; dispatch: (e: RemoteEvent) => void; now: number }) {
  const choices = remoteMethodChoices(s);
  const items: SelectItem[] = choices.map((c) => ({ key: c.key, label: c.label, hints: c.hints, ...(c.disabled ? { disabled: true } : {}) }));
  const stored = s.options.profiles;
  return (
    <Header
      s={s}
      title={`How should agent ${s.options.agent} on ${s.options.dest} authenticate to Anthropic?`}
      keys={`↑/↓ move · Enter choose · Esc ${s.history.length ? 'back' : 'quit'} · Ctrl-C quit`}
    >
      <Box flexDirection="column" marginBottom={1}>
        {stored.length ? (
          <>
            <Text>
              Already stored for {s.options.agent} on {s.options.dest} (a new credential replaces the one with the same id):
            </Text>
            {stored.map((p) => (
              <Text key={p.profileId}> {profileLine(p, s.options.activeProfile, now)}</Text>
            ))}
          </>
        ) : (
          <Text>
            Agent {s.options.agent} on {s.options.dest} holds no Anthropic credential yet.
          </Text>
        )}
      </Box>
      <Select
        items={items}
        initial={Math.max(
          0,
          choices.findIndex((c) => !c.disabled && c.value === (s.notice && s.method === 'setup-token' ? 'paste-token' : 'api-key')),
        )}
        onSelect={(i) => {
          const c = choices[i];
          if (c && !c.disabled && c.value !== 'claude-cli') dispatch({ type: 'method-chosen', method: c.value });
        }}
      />
    </Header>
  );
}

function EnterCredential({ s, dispatch }: { s: RemoteView; dispatch: (e: RemoteEvent) => void }) {
  const apiKey = s.expected === 'api_key';
  return (
    <Header
      s={s}
      title={
        apiKey
          ? `Paste the Anthropic API key for agent ${s.options.agent} on ${s.options.dest}`
          : `Paste the setup-token for agent ${s.options.agent} on ${s.options.dest}`
      }
      keys="Enter send it · Ctrl-U clear · Esc back · Ctrl-C quit"
    >
      <Text dimColor>{apiKey ? `It starts with sk-ant-api (${CONSOLE_API_KEYS}).` : 'Made with `claude setup-token`; it starts with sk-ant-oat.'}</Text>
      <Text dimColor>Input is hidden. A token wrapped over several lines is joined. It goes to {s.options.dest} over ssh, on stdin.</Text>
      <Text> </Text>
      <MaskedInput
        key={s.attempt}
        label={apiKey ? 'API key:' : 'setup-token:'}
        describe={(v) => describeShape(v, apiKey ? 'api_key' : 'token')}
        onSubmit={(raw) => dispatch({ type: 'credential-submitted', raw })}
      />
    </Header>
  );
}

function SetupToken({ s, dispatch, now, animate }: { s: RemoteView; dispatch: (e: RemoteEvent) => void; now: number; animate: boolean }) {
  const setup = s.setup;
  const { write } = useStdout();
  const shown = useRef<string | null>(null);
  const url = setup?.url;
  useEffect(() => {
    if (url && shown.current !== url) {
      shown.current = url;
      write(`\nSign-in URL (open it in a browser on this machine):\n\n${url}\n\n`);
    }
  }, [url, write]);
  const oauthError = setup?.phase === 'oauth-error';
  useInput(
    (_i, key) => {
      if (key.return) dispatch({ type: 'setup-retried' });
    },
    { isActive: oauthError },
  );
  if (!setup) return null;
  const elapsed = now - setup.startedAt;
  return (
    <Header
      s={s}
      title={`Claude subscription sign-in: running \`claude setup-token\` here, for agent ${s.options.agent} on ${s.options.dest}`}
      keys={oauthError ? 'Enter try again · Esc stop · Ctrl-C quit' : 'Esc stop · Ctrl-C quit'}
    >
      <Text dimColor>
        This step ends when the token arrives, or after {formatDuration(s.options.setupTokenTimeoutMs, { style: 'long' })}. The token is sent to{' '}
        {s.options.dest}, never shown or saved here.
      </Text>
      <Text> </Text>
      {setup.phase === 'starting' || (!url && setup.phase === 'waiting') ? (
        <Spinner elapsedMs={elapsed} animate={animate} label="Starting `claude setup-token`…" />
      ) : null}
      {url && setup.phase !== 'captured' ? (
        <Box flexDirection="column">
          <Text>1. Open the sign-in URL printed above in a browser and sign in with your Claude account.</Text>
          <Text>2. Paste the code the page shows you, then press Enter:</Text>
          <Text> </Text>
          {setup.phase === 'awaiting-code' || setup.phase === 'waiting' ? (
            <MaskedInput
              key={setup.codeError ?? 'code'}
              label="code:"
              onSubmit={(code) => code.trim() && dispatch({ type: 'code-submitted', code: code.trim() })}
            />
          ) : null}
          {setup.phase === 'code-sent' ? <Spinner elapsedMs={elapsed} animate={animate} label="Code sent; waiting for the token…" /> : null}
          {setup.codeError ? (
            <Text color="red">✘ Claude Code did not accept the code: {setup.codeError} Copy all of it (it has a # in the middle) and paste it again.</Text>
          ) : null}
        </Box>
      ) : null}
      {oauthError ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red">✘ Sign-in failed: {describeOAuthError(setup.oauthError ?? '')}</Text>
          <Text>Press Enter to try again, or Esc to stop.</Text>
        </Box>
      ) : null}
      {setup.phase === 'captured' ? (
        <Text color="green">
          ✔ Token received ({setup.fingerprint}); sending it to {s.options.dest}…
        </Text>
      ) : null}
    </Header>
  );
}

function Failure({ s, dispatch }: { s: RemoteView; dispatch: (e: RemoteEvent) => void }) {
  const f = s.failure!;
  const options: Array<{ item: SelectItem; ev: RemoteEvent }> = [];
  if (f.refused && f.canSaveUnverified)
    options.push({
      item: {
        label: `Keep it anyway on ${s.options.dest} (marked unverified)`,
        hints: ['Only if you know why the check failed (e.g. the gateway cannot reach the API right now).'],
      },
      ev: { type: 'keep-anyway' },
    });
  if (!f.refused)
    options.push({
      item: { label: `Send it again to ${s.options.dest}`, hints: ['The credential is still in memory here; nothing has to be minted again.'] },
      ev: { type: 'send-again' },
    });
  if (s.options.mode === 'onboard')
    options.push({ item: { label: f.refused ? 'Use another credential or method' : 'Back to the methods' }, ev: { type: 'other-method' } });
  options.push({ item: { label: 'Quit (nothing is written here)' }, ev: { type: 'quit' } });
  return (
    <Header
      s={s}
      title={f.refused ? `${s.options.dest} did not store the credential` : `Sending to ${s.options.dest} failed`}
      keys="↑/↓ move · Enter choose · Ctrl-C quit"
    >
      <Text color="red">✘ {f.message}</Text>
      {f.hint ? <Text dimColor> {f.hint}</Text> : null}
      {f.details.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>{f.refused ? 'The gateway said:' : 'ssh said:'}</Text>
          {f.details.map((l, i) => (
            <Text key={i} dimColor>
              {'  '}
              {l}
            </Text>
          ))}
        </Box>
      ) : null}
      <Text> </Text>
      <Select items={options.map((o) => o.item)} initial={0} onSelect={(i) => options[i] && dispatch(options[i]!.ev)} />
    </Header>
  );
}

export function RemoteApp({ store, clock, animate = true }: RemoteAppProps) {
  const full = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  // The screens get the state without the credential's secret (the command sends it, not the view).
  const s = useMemo(() => remoteView(full), [full]);
  const { exit } = useApp();
  const [now, setNow] = useState(() => clock.now());
  const onScreen = REMOTE_UI_STEPS.has(s.step);
  const ticking = s.step === 'running-setup-token';
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(clock.now()), animate ? 100 : 1000);
    return () => clearInterval(t);
  }, [ticking, animate, clock]);
  useEffect(() => {
    if (!onScreen) {
      const t = setTimeout(() => exit(), 0);
      return () => clearTimeout(t);
    }
  }, [onScreen, exit]);
  useInput((input, key) => {
    if (!onScreen) return;
    if (key.ctrl && input === 'c') store.dispatch({ type: 'cancelled' });
    else if (key.escape && s.step !== 'refused' && s.step !== 'send-failed') store.dispatch({ type: 'went-back' });
  });
  const d = store.dispatch;
  const k = `${s.step}:${s.attempt}`;
  switch (s.step) {
    case 'choose-method':
      return <ChooseMethod key={k} s={s} dispatch={d} now={now} />;
    case 'enter-credential':
      return <EnterCredential key={k} s={s} dispatch={d} />;
    case 'running-setup-token':
      return <SetupToken key={`setup:${s.attempt}`} s={s} dispatch={d} now={now} animate={animate} />;
    case 'refused':
    case 'send-failed':
      return <Failure key={k} s={s} dispatch={d} />;
    default:
      return null;
  }
}

export function remoteAppElement(props: RemoteAppProps): React.ReactElement {
  return <RemoteApp {...props} />;
}
