import * as vscode from 'vscode';
import { botEnvLines } from '../../app/botEnv';
import { ENV_FILE_NAME, writeEnvFile } from '../../app/envFile';
import type { Log } from '../../app/log';
import { canonicalEnvironment, type Environment } from '../../core/environments';
import type { Credential } from '../../core/credentials';
import { required, type PrompterHolder } from '../shared/prompter';

/** The active key of an environment, and (after the user confirmed) its secret material. */
export interface BotKeys {
  activeFor(environmentId: string): Credential | undefined;
  readSecretMaterial(id: string): Promise<{ secret?: string; privateKeyPem?: string } | undefined>;
}

/** The workspace folders a .env can be written to, and whether the workspace is trusted. */
export interface BotWorkspace {
  folders(): readonly { name: string; path: string }[];
  isTrusted(): boolean;
}

const vscodeWorkspace: BotWorkspace = {
  folders: () =>
    (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => ({ name: f.name, path: f.uri.fsPath })),
  isTrusted: () => vscode.workspace.isTrusted,
};

/**
 * "Copy Environment Settings for a Bot" and "Write Environment to .env": the active environment's
 * URLs (REST, WebSocket API, streams) and key for a bot. The secret or private key is included only
 * after a modal confirmation; nothing secret is logged.
 */
export class BotCommands {
  constructor(
    private readonly session: { readonly environment: Environment },
    private readonly store: BotKeys,
    private readonly prompter: PrompterHolder,
    private readonly log: Log,
    private readonly workspace: BotWorkspace = vscodeWorkspace,
  ) {}

  async copyEnv(args: { includeSecret?: boolean } = {}): Promise<{ includedSecret: boolean }> {
    const ui = this.prompter.current;
    const environment = this.session.environment;
    const credential = this.store.activeFor(environment.id);
    const includeSecret = await this.#askSecret(
      'Copy',
      credential,
      `anyone who gets the clipboard contents can use this ${environment.label} key: keep the .env file out of version control.`,
    );
    if (includeSecret === undefined) return { includedSecret: false };
    const stored =
      includeSecret && args.includeSecret !== false && credential
        ? await this.store.readSecretMaterial(credential.id)
        : undefined;
    const text = botEnvLines({
      environment,
      label: credential?.label,
      keyType: credential?.keyType,
      apiKey: credential?.apiKey,
      secret: stored?.secret,
      privateKeyPem: stored?.privateKeyPem,
    });
    await ui.writeClipboard(text);
    const included = stored !== undefined;
    this.log.info(
      `Copied bot settings for ${environment.label}${included ? ' including the secret' : ''} to the clipboard.`,
    );
    void ui.showInformationMessage(
      `Copied .env lines for ${environment.label}${credential ? '' : ' (no key yet)'}${included ? ', including the secret' : ''}. Paste them into your bot's .env file.`,
      {},
    );
    return { includedSecret: included };
  }

  /**
   * Writes or updates the variables in a workspace folder's `.env`, keeping every other line.
   * Refused for Live, for a `.env` that git tracks, and in an untrusted workspace (git runs in
   * the folder to check).
   */
  async writeEnv(args: { folder?: string } = {}): Promise<{ file: string; includedSecret: boolean } | undefined> {
    const environment = canonicalEnvironment(this.session.environment);
    if (environment.kind === 'live')
      throw new Error(
        'Live keys are never written to a file from here. Switch to Spot Testnet or a local sandbox, or set the variables yourself.',
      );
    if (!this.workspace.isTrusted())
      throw new Error(
        `Trust this workspace first: writing ${ENV_FILE_NAME} runs git in the folder to check that the file is not tracked.`,
      );
    const folder = args.folder ?? (await this.#pickFolder());
    const credential = this.store.activeFor(environment.id);
    const includeSecret = await this.#askSecret(
      'Write',
      credential,
      `anyone who can read ${ENV_FILE_NAME} can use this ${environment.label} key. A ${ENV_FILE_NAME} tracked by git is refused.`,
    );
    if (includeSecret === undefined) return undefined;
    const stored = includeSecret && credential ? await this.store.readSecretMaterial(credential.id) : undefined;
    const result = await writeEnvFile(folder, {
      environment,
      label: credential?.label,
      keyType: credential?.keyType,
      apiKey: credential?.apiKey,
      secret: stored?.secret,
      privateKeyPem: stored?.privateKeyPem,
    });
    const included = stored !== undefined;
    const changed = [...result.added, ...result.updated];
    this.log.info(
      `Wrote the ${environment.label} settings to ${result.file}${included ? ' including the secret' : ''}: ` +
        `${changed.length > 0 ? changed.join(', ') : 'nothing changed'}${result.removed.length > 0 ? `; removed ${result.removed.join(', ')}` : ''}.`,
    );
    void this.prompter.current.showInformationMessage(
      `${ENV_FILE_NAME} now points your bot at ${environment.label}${credential ? ` with key "${credential.label}"` : ' (no key yet)'}` +
        `${included ? ', including the secret' : ''}.` +
        (result.notIgnored ? ` ${ENV_FILE_NAME} is not in .gitignore: add it, so the key is never committed.` : ''),
      {},
    );
    return { file: result.file, includedSecret: included };
  }

  async #pickFolder(): Promise<string> {
    const folders = this.workspace.folders();
    if (folders.length === 0)
      throw new Error(`Open your bot's folder first: ${ENV_FILE_NAME} is written into a workspace folder on disk.`);
    if (folders.length === 1) return folders[0].path;
    const pick = await this.prompter.current.showQuickPick(
      folders.map((f) => ({ label: f.name, detail: f.path, path: f.path })),
      { title: `Write ${ENV_FILE_NAME} in which folder?` },
    );
    return required(pick).path;
  }

  /**
   * With or without the secret? The first button (the dialog's primary one, focused: Enter) is the
   * safe choice. Undefined when dismissed; false without a key.
   */
  async #askSecret(
    verb: 'Copy' | 'Write',
    credential: Credential | undefined,
    risk: string,
  ): Promise<boolean | undefined> {
    if (!credential) return false;
    const what = credential.keyType === 'hmac' ? 'Secret Key' : 'Private Key';
    const withSecret = `${verb} With ${what}`;
    const withoutSecret = `${verb} Without ${what}`;
    const answer = await this.prompter.current.showWarningMessage(
      `${verb} the settings for "${credential.label}" with or without its ${what.toLowerCase()}?`,
      {
        modal: true,
        detail: `Without it, the ${verb === 'Copy' ? 'lines contain' : 'file gets'} the URLs and the API key only. With it, ${risk}`,
      },
      withoutSecret,
      withSecret,
    );
    if (answer === undefined) return undefined;
    return answer === withSecret;
  }
}
