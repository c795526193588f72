// The delivery notice SMS of relay.md §6: after a publish attempt reaches the platform, the sender
// hears how it went, in the payload's language (its two ISO 639-1 letters; English when absent or
// not one of these). English and French are upstream's texts (configs/localization.ini), kept as
// they are, word order included; Spanish, Persian, Swahili and Arabic are ours (upstream has none),
// whole sentences written for each outcome rather than upstream's one template with a slot.

type NoticeTexts = Readonly<Record<'published' | 'failed', (platform: string, timestamp: string) => string>>

const NOTICE_TEXTS: Readonly<Record<string, NoticeTexts>> = {
  en: {
    published: (platform, at) => `RelaySMS Delivery: Successfully sent message to ${platform} at ${at}.`,
    failed: (platform, at) => `RelaySMS Delivery: Failed to send message to ${platform} at ${at}.`
  },
  fr: {
    published: (platform, at) => `Livraison RelaySMS: Envoyé avec succès message à ${platform} à ${at}.`,
    failed: (platform, at) => `Livraison RelaySMS: Échec de l'envoi message à ${platform} à ${at}.`
  },
  es: {
    published: (platform, at) => `Entrega de RelaySMS: mensaje enviado correctamente a ${platform} el ${at}.`,
    failed: (platform, at) => `Entrega de RelaySMS: no se pudo enviar el mensaje a ${platform} el ${at}.`
  },
  fa: {
    published: (platform, at) => `تحویل RelaySMS: پیام با موفقیت به ${platform} در ${at} ارسال شد.`,
    failed: (platform, at) => `تحویل RelaySMS: ارسال پیام به ${platform} در ${at} ناموفق بود.`
  },
  sw: {
    published: (platform, at) => `Uwasilishaji wa RelaySMS: Ujumbe umetumwa kwa ${platform} kwa mafanikio tarehe ${at}.`,
    failed: (platform, at) => `Uwasilishaji wa RelaySMS: Imeshindwa kutuma ujumbe kwa ${platform} tarehe ${at}.`
  },
  ar: {
    published: (platform, at) => `تسليم RelaySMS: تم إرسال الرسالة بنجاح إلى ${platform} في ${at}.`,
    failed: (platform, at) => `تسليم RelaySMS: فشل إرسال الرسالة إلى ${platform} في ${at}.`
  }
}

export const noticeLanguages: readonly string[] = Object.keys(NOTICE_TEXTS)

export interface DeliveryNotice {
  readonly platform: string
  readonly outcome: 'published' | 'failed'
  readonly atMs: number
  /** The payload's language code; empty or unknown means English. */
  readonly language: string
  /**
   * Upstream's refresh alert, for a user who keeps tokens on the device and whose refresh token the
   * platform replaced: appended to the notice so the app can take the new one.
   */
  readonly additional?: string
}

export function deliveryNoticeText (notice: DeliveryNotice): string {
  const texts = NOTICE_TEXTS[notice.language.toLowerCase()] ?? NOTICE_TEXTS.en as NoticeTexts
  return texts[notice.outcome](notice.platform, utcTimestamp(notice.atMs)) + (notice.additional ?? '')
}

/** Upstream's strftime("%Y-%m-%d %H:%M:%S (%Z)") of a UTC time. */
export function utcTimestamp (atMs: number): string {
  return `${new Date(atMs).toISOString().slice(0, 19).replace('T', ' ')} (UTC)`
}

/** Upstream's refresh alert: the sender's account and its new refresh token, base64, to paste into the app. */
export function refreshAlert (accountIdentifier: string, refreshToken: string): string {
  return `\n\nPlease paste this message in your RelaySMS app\n${Buffer.from(`${accountIdentifier}:${refreshToken}`, 'utf8').toString('base64')}`
}
