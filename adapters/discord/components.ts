import type { PaperLinks } from '../../src/papers/paper.js';
import { paperButtonValue } from '../../src/commands/buttons.js';
import { plain } from './escape.js';
import { DISCORD_LIMITS } from './limits.js';
import type { ActionRow, Button } from './message.js';

/**
 * A URL Discord will accept in a link button or embed: http(s), no spaces, within `max`. A GitHub or project
 * link from HF that is malformed would make Discord reject the whole message, so it is dropped instead.
 */
export function safeUrl(url: string | null | undefined, max: number = DISCORD_LIMITS.buttonUrl): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    const href = parsed.href;
    return href.length <= max ? href : null;
  } catch {
    return null;
  }
}

export function linkButton(label: string, url: string | null): Button | null {
  const href = safeUrl(url);
  return href ? { type: 2, style: 5, label: plain(label, DISCORD_LIMITS.buttonLabel), url: href } : null;
}

export function actionButton(label: string, customId: string, style: 1 | 2 = 2): Button {
  return { type: 2, style, label: plain(label, DISCORD_LIMITS.buttonLabel), custom_id: customId };
}

/** Paper page, PDF, code and project page: the links every paper card offers. */
export function paperLinkButtons(links: PaperLinks): Button[] {
  return [linkButton('Paper', links.huggingFace), linkButton('PDF', links.pdf), linkButton('Code', links.code), linkButton('Project page', links.project)].filter(
    (button): button is Button => button !== null,
  );
}

/** The buttons under one digest paper: its links, then *Summarise*, *Abstract* and *Follow*. */
export function digestItemRows(paperId: string, links: PaperLinks): ActionRow[] {
  return toRows([
    paperLinkButtons(links),
    [actionButton('Summarise', paperButtonValue('summarise', paperId), 1), actionButton('Abstract', paperButtonValue('abstract', paperId)), actionButton('Follow', paperButtonValue('follow', paperId))],
  ]);
}

/**
 * Groups of buttons to action rows: each group starts a row and wraps at 5 per row; rows past Discord's 5 are
 * dropped from the end of the earlier groups so the last group (e.g. *More*) is kept.
 */
export function toRows(groups: Button[][]): ActionRow[] {
  const rowsOf = (buttons: Button[]): ActionRow[] => {
    const rows: ActionRow[] = [];
    for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow) rows.push({ type: 1, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
    return rows;
  };
  const nonEmpty = groups.filter((group) => group.length > 0);
  const last = nonEmpty.length > 0 ? rowsOf(nonEmpty[nonEmpty.length - 1]!) : [];
  const earlier = nonEmpty.slice(0, -1).flatMap(rowsOf);
  return [...earlier.slice(0, Math.max(0, DISCORD_LIMITS.actionRows - last.length)), ...last].slice(0, DISCORD_LIMITS.actionRows);
}
