import { botEnvLines } from '../../app/botEnv';
import type { Log } from '../../app/log';
import type { Environment } from '../../core/environments';
import type { Credential } from '../../core/credentials';
import type { PrompterHolder } from '../shared/prompter';

/** The active key of an environment, and (after the user confirmed) its secret material. */
export interface BotKeys {
  activeFor(environmentId: string): Credential | undefined;
  readSecretMaterial(id: string): Promise<{ secret?: string; privateKeyPem?: string } | undefined>;
}

/**
 * "Copy Environment Settings for a Bot": .env lines for the active environment and key. The
 * secret or private key is included only after a modal confirmation; nothing is logged.
 */
export class BotCommands {
  constructor(
    private readonly session: { readonly environment: Environment },
    private readonly store: BotKeys,
    private readonly prompter: PrompterHolder,
    private readonly log: Log,
  ) {}

  async copyEnv(args: { includeSecret?: boolean } = {}): Promise<{ includedSecret: boolean }> {
    const ui = this.prompter.current;
    const environment = this.session.environment;
    const credential = this.store.activeFor(environment.id);
    let includeSecret = false;
    if (credential) {
      const what = credential.keyType === 'hmac' ? 'Secret Key' : 'Private Key';
      const withSecret = `Copy With ${what}`;
      const withoutSecret = `Copy Without ${what}`;
      const answer = await ui.showWarningMessage(
        `Copy the settings for "${credential.label}" with or without its ${what.toLowerCase()}?`,
        {
          modal: true,
          detail: `Without it, the lines contain the URLs and the API key only. With it, anyone who gets the clipboard contents can use this ${environment.label} key: keep the .env file out of version control.`,
        },
        // The first button is the dialog's primary one, focused (Enter): the safe choice.
        withoutSecret,
        withSecret,
      );
      if (answer === undefined) return { includedSecret: false };
      includeSecret = answer === withSecret && args.includeSecret !== false;
    }
    const stored = includeSecret && credential ? await this.store.readSecretMaterial(credential.id) : undefined;
    const text = botEnvLines({
      environment,
      label: credential?.label,
      keyType: credential?.keyType,
      apiKey: credential?.apiKey,
      secret: stored?.secret,
      privateKeyPem: stored?.privateKeyPem,
    });
    await ui.writeClipboard(text);
    this.log.info(
      `Copied bot settings for ${environment.label}${includeSecret ? ' including the secret' : ''} to the clipboard.`,
    );
    void ui.showInformationMessage(
      `Copied .env lines for ${environment.label}${credential ? '' : ' (no key yet)'}${includeSecret ? ', including the secret' : ''}. Paste them into your bot's .env file.`,
      {},
    );
    return { includedSecret: includeSecret };
  }
}
