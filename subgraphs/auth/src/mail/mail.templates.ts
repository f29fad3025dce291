import { escapeHtml, htmlEmail } from '@meridian/mail';
export type MailKind =
  | 'verify_email'
  | 'account_exists'
  | 'signup_pending'
  | 'password_reset'
  | 'password_changed'
  | 'email_change_confirm'
  | 'email_change_requested'
  | 'email_changed'
  | SecurityNoticeKind;

/** Notices to the owner about their second factors (README "Security"). */
export type SecurityNoticeKind =
  | 'totp_enabled'
  | 'totp_removed'
  | 'passkey_added'
  | 'passkey_removed'
  | 'recovery_codes_generated'
  | 'recovery_code_used'
  | 'second_factor_failed';

export type MailData =
  | { kind: 'verify_email'; link: string }
  | { kind: 'account_exists'; resetLink: string }
  | { kind: 'signup_pending' } // a second sign-up for an address whose first one is still pending: no new link
  | { kind: 'password_reset'; link: string }
  | { kind: 'password_changed' }
  | { kind: 'email_change_confirm'; link: string; newEmail: string }
  | { kind: 'email_change_requested'; newEmail: string }
  | { kind: 'email_changed'; newEmail: string }
  | { kind: 'passkey_added' | 'passkey_removed'; passkeyName: string }
  | { kind: Exclude<SecurityNoticeKind, 'passkey_added' | 'passkey_removed'> };

export type SupportedLanguage = 'en' | 'de' | 'fr' | 'es';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  language: SupportedLanguage;
}

/** A mail that only informs. */
interface Notice {
  subject: string;
  body: readonly string[];
}

/** A mail that asks the reader to open a link: `body`, then the link, then `footer`. */
interface Invitation extends Notice {
  action: string;
  footer: readonly string[];
}

type LinkKind = Extract<MailData, { link: string } | { resetLink: string }>['kind'];

type LanguageCopy = {
  greeting: string;
  signOff: string;
  linkFallback: string;
} & { [K in MailKind]: K extends LinkKind ? Invitation : Notice };

/** The names used as `{name}` in a template, read from its literal type. */
type Placeholders<T> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type Values<T> = Readonly<Record<Placeholders<T>, string>>;

// The tables keep their literal types (`as const`), so a placeholder a translation misspells
// becomes a value `notice`/`invitation` demand and fails the type check instead of reaching a reader.
// Only `body` is interpolated: subjects stay constant, so no user value can reach a header.

const en = {
  greeting: 'Hello,',
  signOff: 'The Meridian team',
  linkFallback: 'If the button doesn’t work, copy this link into your browser:',
  verify_email: {
    subject: 'Confirm your email address',
    body: ['Welcome to Meridian! Please confirm your email address to finish setting up your account.'],
    action: 'Confirm email address',
    footer: ['This link is valid for 24 hours.', 'If you didn’t sign up for Meridian, you can ignore this email.'],
  },
  account_exists: {
    subject: 'You already have a Meridian account',
    body: [
      'Someone tried to create a Meridian account with this email address, but an account with this address already exists.',
      'If that was you, simply sign in. Forgotten your password? You can reset it here:',
    ],
    action: 'Reset password',
    footer: ['If it wasn’t you, you can ignore this email. Nothing has changed in your account.'],
  },
  signup_pending: {
    subject: 'A sign-up for this address is already waiting',
    body: [
      'Someone just tried to create a Meridian account with this email address, but a sign-up for it is already waiting to be confirmed.',
      'If you started that sign-up, use the confirmation link we sent you then, or ask for a new link on the sign-up page with the password you chose.',
    ],
  },
  password_reset: {
    subject: 'Reset your Meridian password',
    body: ['We received a request to reset the password for your Meridian account. Use the link below to choose a new password.'],
    action: 'Choose a new password',
    footer: ['This link is valid for 30 minutes.', 'If you didn’t request this, you can ignore this email. Your password will stay the same.'],
  },
  password_changed: {
    subject: 'Your Meridian password has been changed',
    body: [
      'The password for your Meridian account has been changed. For your security, we have signed you out on all other devices.',
      'If you didn’t do this, reset your password right away from the sign-in page.',
    ],
  },
  email_change_confirm: {
    subject: 'Confirm your new email address',
    body: ['Please confirm that you want to use {newEmail} for your Meridian account.'],
    action: 'Confirm new email address',
    footer: [
      'This link is valid for 24 hours. Your email address won’t change until you confirm.',
      'If you didn’t request this change, you can ignore this email.',
    ],
  },
  email_change_requested: {
    subject: 'Request to change your email address',
    body: [
      'We received a request to change the email address of your Meridian account to {newEmail}. The change only takes effect once the new address has been confirmed.',
      'If you didn’t request this, reset your password right away from the sign-in page and contact Meridian support.',
    ],
  },
  email_changed: {
    subject: 'Your Meridian email address has been changed',
    body: [
      'The email address of your Meridian account has been changed to {newEmail}. From now on, we’ll send messages about your account to the new address.',
      'If you didn’t make this change, please contact Meridian support right away.',
    ],
  },
  totp_enabled: {
    subject: 'An authenticator app now protects your Meridian account',
    body: ['From now on, signing in to your Meridian account asks for a code from your authenticator app after your password.', 'If you didn’t do this, reset your password right away and contact Meridian support.'],
  },
  totp_removed: {
    subject: 'The authenticator app was removed from your Meridian account',
    body: ['Signing in to your Meridian account no longer asks for a code from an authenticator app.', 'If you didn’t do this, reset your password right away and contact Meridian support.'],
  },
  passkey_added: {
    subject: 'A passkey was added to your Meridian account',
    body: ['The passkey “{passkeyName}” can now sign in to your Meridian account.', 'If you didn’t add it, remove it in your account settings and contact Meridian support.'],
  },
  passkey_removed: {
    subject: 'A passkey was removed from your Meridian account',
    body: ['The passkey “{passkeyName}” can no longer sign in to your Meridian account.', 'If you didn’t remove it, reset your password right away and contact Meridian support.'],
  },
  recovery_codes_generated: {
    subject: 'New recovery codes for your Meridian account',
    body: ['New recovery codes were created for your Meridian account; the previous ones no longer work.', 'If you didn’t do this, reset your password right away and contact Meridian support.'],
  },
  recovery_code_used: {
    subject: 'A recovery code was used for your Meridian account',
    body: ['Someone signed in to your Meridian account with one of your recovery codes. It cannot be used again.', 'If it wasn’t you, reset your password right away and contact Meridian support.'],
  },
  second_factor_failed: {
    subject: 'A sign-in to your Meridian account failed at the second step',
    body: ['Someone entered your password correctly, but the code or passkey that followed was not accepted.', 'If it wasn’t you, your password is known to someone else: change it right away.'],
  },
} as const satisfies LanguageCopy;

const de = {
  greeting: 'Hallo,',
  signOff: 'Ihr Meridian-Team',
  linkFallback: 'Falls der Button nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
  verify_email: {
    subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
    body: ['Willkommen bei Meridian! Bitte bestätigen Sie Ihre E-Mail-Adresse, um die Einrichtung Ihres Kontos abzuschließen.'],
    action: 'E-Mail-Adresse bestätigen',
    footer: ['Der Link ist 24 Stunden gültig.', 'Falls Sie sich nicht bei Meridian registriert haben, können Sie diese E-Mail ignorieren.'],
  },
  account_exists: {
    subject: 'Sie haben bereits ein Meridian-Konto',
    body: [
      'Jemand hat versucht, mit dieser E-Mail-Adresse ein Meridian-Konto anzulegen. Für diese Adresse gibt es aber bereits ein Konto.',
      'Falls Sie das waren, melden Sie sich einfach an. Passwort vergessen? Hier können Sie es zurücksetzen:',
    ],
    action: 'Passwort zurücksetzen',
    footer: ['Falls Sie das nicht waren, können Sie diese E-Mail ignorieren. An Ihrem Konto wurde nichts geändert.'],
  },
  signup_pending: {
    subject: 'Für diese Adresse wartet bereits eine Registrierung',
    body: [
      'Jemand hat gerade versucht, mit dieser E-Mail-Adresse ein Meridian-Konto anzulegen. Für diese Adresse wartet aber bereits eine Registrierung auf Bestätigung.',
      'Wenn Sie diese Registrierung begonnen haben, verwenden Sie den Bestätigungslink, den wir Ihnen damals geschickt haben, oder fordern Sie auf der Registrierungsseite mit Ihrem gewählten Passwort einen neuen Link an.',
    ],
  },
  password_reset: {
    subject: 'Meridian-Passwort zurücksetzen',
    body: ['Wir haben eine Anfrage erhalten, das Passwort für Ihr Meridian-Konto zurückzusetzen. Über den folgenden Link können Sie ein neues Passwort festlegen.'],
    action: 'Neues Passwort festlegen',
    footer: ['Der Link ist 30 Minuten gültig.', 'Falls Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren. Ihr Passwort bleibt dann unverändert.'],
  },
  password_changed: {
    subject: 'Ihr Meridian-Passwort wurde geändert',
    body: [
      'Das Passwort für Ihr Meridian-Konto wurde geändert. Zu Ihrer Sicherheit haben wir Sie auf allen anderen Geräten abgemeldet.',
      'Falls Sie das nicht waren, setzen Sie Ihr Passwort bitte sofort über die Anmeldeseite zurück.',
    ],
  },
  email_change_confirm: {
    subject: 'Bestätigen Sie Ihre neue E-Mail-Adresse',
    body: ['Bitte bestätigen Sie, dass Sie künftig {newEmail} für Ihr Meridian-Konto verwenden möchten.'],
    action: 'Neue E-Mail-Adresse bestätigen',
    footer: [
      'Der Link ist 24 Stunden gültig. Ihre E-Mail-Adresse wird erst geändert, wenn Sie bestätigen.',
      'Falls Sie diese Änderung nicht angefordert haben, können Sie diese E-Mail ignorieren.',
    ],
  },
  email_change_requested: {
    subject: 'Änderung Ihrer E-Mail-Adresse angefordert',
    body: [
      'Für Ihr Meridian-Konto wurde angefordert, die E-Mail-Adresse in {newEmail} zu ändern. Die Änderung wird erst wirksam, wenn die neue Adresse bestätigt ist.',
      'Falls Sie das nicht waren, setzen Sie Ihr Passwort bitte sofort über die Anmeldeseite zurück und wenden Sie sich an den Meridian-Support.',
    ],
  },
  email_changed: {
    subject: 'Ihre E-Mail-Adresse bei Meridian wurde geändert',
    body: [
      'Die E-Mail-Adresse Ihres Meridian-Kontos wurde in {newEmail} geändert. Nachrichten zu Ihrem Konto senden wir ab sofort an die neue Adresse.',
      'Falls Sie diese Änderung nicht vorgenommen haben, wenden Sie sich bitte umgehend an den Meridian-Support.',
    ],
  },
  totp_enabled: {
    subject: 'Eine Authenticator-App schützt jetzt Ihr Meridian-Konto',
    body: ['Ab sofort wird bei der Anmeldung in Ihrem Meridian-Konto nach dem Passwort ein Code aus Ihrer Authenticator-App abgefragt.', 'Falls Sie das nicht waren, setzen Sie Ihr Passwort sofort zurück und wenden Sie sich an den Meridian-Support.'],
  },
  totp_removed: {
    subject: 'Die Authenticator-App wurde aus Ihrem Meridian-Konto entfernt',
    body: ['Bei der Anmeldung in Ihrem Meridian-Konto wird kein Code aus einer Authenticator-App mehr abgefragt.', 'Falls Sie das nicht waren, setzen Sie Ihr Passwort sofort zurück und wenden Sie sich an den Meridian-Support.'],
  },
  passkey_added: {
    subject: 'Ihrem Meridian-Konto wurde ein Passkey hinzugefügt',
    body: ['Mit dem Passkey „{passkeyName}“ kann man sich jetzt in Ihrem Meridian-Konto anmelden.', 'Falls Sie ihn nicht hinzugefügt haben, entfernen Sie ihn in Ihren Kontoeinstellungen und wenden Sie sich an den Meridian-Support.'],
  },
  passkey_removed: {
    subject: 'Ein Passkey wurde aus Ihrem Meridian-Konto entfernt',
    body: ['Mit dem Passkey „{passkeyName}“ kann man sich nicht mehr in Ihrem Meridian-Konto anmelden.', 'Falls Sie ihn nicht entfernt haben, setzen Sie Ihr Passwort sofort zurück und wenden Sie sich an den Meridian-Support.'],
  },
  recovery_codes_generated: {
    subject: 'Neue Wiederherstellungscodes für Ihr Meridian-Konto',
    body: ['Für Ihr Meridian-Konto wurden neue Wiederherstellungscodes erstellt; die bisherigen gelten nicht mehr.', 'Falls Sie das nicht waren, setzen Sie Ihr Passwort sofort zurück und wenden Sie sich an den Meridian-Support.'],
  },
  recovery_code_used: {
    subject: 'Für Ihr Meridian-Konto wurde ein Wiederherstellungscode verwendet',
    body: ['Jemand hat sich mit einem Ihrer Wiederherstellungscodes in Ihrem Meridian-Konto angemeldet. Dieser Code ist nun verbraucht.', 'Falls Sie das nicht waren, setzen Sie Ihr Passwort sofort zurück und wenden Sie sich an den Meridian-Support.'],
  },
  second_factor_failed: {
    subject: 'Eine Anmeldung in Ihrem Meridian-Konto ist beim zweiten Schritt gescheitert',
    body: ['Jemand hat Ihr Passwort richtig eingegeben, aber der folgende Code oder Passkey wurde nicht akzeptiert.', 'Falls Sie das nicht waren, kennt jemand anderes Ihr Passwort: Ändern Sie es sofort.'],
  },
} as const satisfies LanguageCopy;

// French puts a no-break space before « : ! ? » and inside guillemets.
const fr = {
  greeting: 'Bonjour,',
  signOff: 'L’équipe Meridian',
  linkFallback: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:',
  verify_email: {
    subject: 'Confirmez votre adresse e-mail',
    body: ['Bienvenue sur Meridian\u00a0! Pour finaliser la création de votre compte, veuillez confirmer votre adresse e-mail.'],
    action: 'Confirmer mon adresse e-mail',
    footer: ['Ce lien est valable 24\u00a0heures.', 'Si vous n’avez pas créé de compte Meridian, vous pouvez ignorer cet e-mail.'],
  },
  account_exists: {
    subject: 'Vous avez déjà un compte Meridian',
    body: [
      'Quelqu’un a essayé de créer un compte Meridian avec cette adresse e-mail, mais un compte existe déjà pour cette adresse.',
      'Si c’était vous, connectez-vous simplement. Mot de passe oublié\u00a0? Vous pouvez le réinitialiser ici\u00a0:',
    ],
    action: 'Réinitialiser mon mot de passe',
    footer: ['Si ce n’était pas vous, vous pouvez ignorer cet e-mail. Votre compte n’a pas été modifié.'],
  },
  signup_pending: {
    subject: 'Une inscription pour cette adresse attend déjà',
    body: [
      'Quelqu’un vient d’essayer de créer un compte Meridian avec cette adresse e-mail, mais une inscription pour cette adresse attend déjà d’être confirmée.',
      'Si c’est vous qui avez commencé cette inscription, utilisez le lien de confirmation que nous vous avons envoyé, ou demandez un nouveau lien sur la page d’inscription avec le mot de passe que vous avez choisi.',
    ],
  },
  password_reset: {
    subject: 'Réinitialisation de votre mot de passe Meridian',
    body: [
      'Nous avons reçu une demande de réinitialisation du mot de passe de votre compte Meridian. Utilisez le lien ci-dessous pour choisir un nouveau mot de passe.',
    ],
    action: 'Choisir un nouveau mot de passe',
    footer: [
      'Ce lien est valable 30\u00a0minutes.',
      'Si vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer cet e-mail. Votre mot de passe restera inchangé.',
    ],
  },
  password_changed: {
    subject: 'Votre mot de passe Meridian a été modifié',
    body: [
      'Le mot de passe de votre compte Meridian a été modifié. Par mesure de sécurité, toutes vos sessions sur vos autres appareils ont été fermées.',
      'Si vous n’êtes pas à l’origine de ce changement, réinitialisez immédiatement votre mot de passe depuis la page de connexion.',
    ],
  },
  email_change_confirm: {
    subject: 'Confirmez votre nouvelle adresse e-mail',
    body: ['Veuillez confirmer que vous souhaitez utiliser {newEmail} pour votre compte Meridian.'],
    action: 'Confirmer ma nouvelle adresse',
    footer: [
      'Ce lien est valable 24\u00a0heures. Votre adresse e-mail ne sera modifiée qu’après votre confirmation.',
      'Si vous n’avez pas demandé ce changement, vous pouvez ignorer cet e-mail.',
    ],
  },
  email_change_requested: {
    subject: 'Demande de modification de votre adresse e-mail',
    body: [
      'Nous avons reçu une demande pour remplacer l’adresse e-mail de votre compte Meridian par {newEmail}. Le changement ne prendra effet qu’une fois la nouvelle adresse confirmée.',
      'Si vous n’êtes pas à l’origine de cette demande, réinitialisez immédiatement votre mot de passe depuis la page de connexion et contactez l’assistance Meridian.',
    ],
  },
  email_changed: {
    subject: 'Votre adresse e-mail Meridian a été modifiée',
    body: [
      'L’adresse e-mail de votre compte Meridian a été remplacée par {newEmail}. Désormais, nous enverrons les messages concernant votre compte à cette nouvelle adresse.',
      'Si vous n’êtes pas à l’origine de ce changement, contactez immédiatement l’assistance Meridian.',
    ],
  },
  totp_enabled: {
    subject: 'Une application d’authentification protège désormais votre compte Meridian',
    body: ['Désormais, la connexion à votre compte Meridian demande, après le mot de passe, un code de votre application d’authentification.', 'Si ce n’était pas vous, réinitialisez immédiatement votre mot de passe et contactez l’assistance Meridian.'],
  },
  totp_removed: {
    subject: 'L’application d’authentification a été retirée de votre compte Meridian',
    body: ['La connexion à votre compte Meridian ne demande plus de code d’une application d’authentification.', 'Si ce n’était pas vous, réinitialisez immédiatement votre mot de passe et contactez l’assistance Meridian.'],
  },
  passkey_added: {
    subject: 'Une clé d’accès a été ajoutée à votre compte Meridian',
    body: ['La clé d’accès «\u00a0{passkeyName}\u00a0» permet désormais de se connecter à votre compte Meridian.', 'Si vous ne l’avez pas ajoutée, retirez-la dans les paramètres de votre compte et contactez l’assistance Meridian.'],
  },
  passkey_removed: {
    subject: 'Une clé d’accès a été retirée de votre compte Meridian',
    body: ['La clé d’accès «\u00a0{passkeyName}\u00a0» ne permet plus de se connecter à votre compte Meridian.', 'Si vous ne l’avez pas retirée, réinitialisez immédiatement votre mot de passe et contactez l’assistance Meridian.'],
  },
  recovery_codes_generated: {
    subject: 'Nouveaux codes de récupération pour votre compte Meridian',
    body: ['De nouveaux codes de récupération ont été créés pour votre compte Meridian\u00a0; les précédents ne fonctionnent plus.', 'Si ce n’était pas vous, réinitialisez immédiatement votre mot de passe et contactez l’assistance Meridian.'],
  },
  recovery_code_used: {
    subject: 'Un code de récupération de votre compte Meridian a été utilisé',
    body: ['Quelqu’un s’est connecté à votre compte Meridian avec l’un de vos codes de récupération. Il ne pourra plus servir.', 'Si ce n’était pas vous, réinitialisez immédiatement votre mot de passe et contactez l’assistance Meridian.'],
  },
  second_factor_failed: {
    subject: 'Une connexion à votre compte Meridian a échoué à la deuxième étape',
    body: ['Quelqu’un a saisi correctement votre mot de passe, mais le code ou la clé d’accès qui a suivi a été refusé.', 'Si ce n’était pas vous, quelqu’un d’autre connaît votre mot de passe\u00a0: changez-le immédiatement.'],
  },
} as const satisfies LanguageCopy;

const es = {
  greeting: 'Hola:',
  signOff: 'El equipo de Meridian',
  linkFallback: 'Si el botón no funciona, copia este enlace en tu navegador:',
  verify_email: {
    subject: 'Confirma tu dirección de correo electrónico',
    body: ['¡Te damos la bienvenida a Meridian! Para terminar de configurar tu cuenta, confirma tu dirección de correo electrónico.'],
    action: 'Confirmar dirección de correo',
    footer: ['Este enlace es válido durante 24 horas.', 'Si no te has registrado en Meridian, puedes ignorar este mensaje.'],
  },
  account_exists: {
    subject: 'Ya tienes una cuenta en Meridian',
    body: [
      'Alguien ha intentado crear una cuenta en Meridian con esta dirección de correo electrónico, pero ya existe una cuenta asociada a ella.',
      'Si has sido tú, simplemente inicia sesión. ¿Has olvidado tu contraseña? Puedes restablecerla aquí:',
    ],
    action: 'Restablecer contraseña',
    footer: ['Si no has sido tú, puedes ignorar este mensaje. Tu cuenta no ha sufrido ningún cambio.'],
  },
  signup_pending: {
    subject: 'Ya hay un registro pendiente para esta dirección',
    body: [
      'Alguien acaba de intentar crear una cuenta en Meridian con esta dirección de correo electrónico, pero ya hay un registro pendiente de confirmación para ella.',
      'Si fuiste tú quien empezó ese registro, usa el enlace de confirmación que te enviamos entonces o solicita uno nuevo en la página de registro con la contraseña que elegiste.',
    ],
  },
  password_reset: {
    subject: 'Restablece tu contraseña de Meridian',
    body: ['Hemos recibido una solicitud para restablecer la contraseña de tu cuenta de Meridian. Usa el siguiente enlace para elegir una contraseña nueva.'],
    action: 'Elegir una contraseña nueva',
    footer: ['Este enlace es válido durante 30 minutos.', 'Si no lo has solicitado tú, puedes ignorar este mensaje. Tu contraseña seguirá siendo la misma.'],
  },
  password_changed: {
    subject: 'Se ha cambiado tu contraseña de Meridian',
    body: [
      'Se ha cambiado la contraseña de tu cuenta de Meridian. Por seguridad, hemos cerrado tu sesión en todos los demás dispositivos.',
      'Si no has sido tú, restablece tu contraseña de inmediato desde la página de inicio de sesión.',
    ],
  },
  email_change_confirm: {
    subject: 'Confirma tu nueva dirección de correo electrónico',
    body: ['Confirma que quieres usar {newEmail} en tu cuenta de Meridian.'],
    action: 'Confirmar nueva dirección',
    footer: [
      'Este enlace es válido durante 24 horas. Tu dirección no cambiará hasta que la confirmes.',
      'Si no has solicitado este cambio, puedes ignorar este mensaje.',
    ],
  },
  email_change_requested: {
    subject: 'Solicitud de cambio de tu dirección de correo electrónico',
    body: [
      'Hemos recibido una solicitud para cambiar la dirección de correo electrónico de tu cuenta de Meridian a {newEmail}. El cambio no se aplicará hasta que se confirme la nueva dirección.',
      'Si no has sido tú, restablece tu contraseña de inmediato desde la página de inicio de sesión y ponte en contacto con el servicio de asistencia de Meridian.',
    ],
  },
  email_changed: {
    subject: 'Se ha cambiado tu dirección de correo electrónico de Meridian',
    body: [
      'La dirección de correo electrónico de tu cuenta de Meridian se ha cambiado a {newEmail}. A partir de ahora, te enviaremos los mensajes sobre tu cuenta a la nueva dirección.',
      'Si no has hecho este cambio, ponte en contacto de inmediato con el servicio de asistencia de Meridian.',
    ],
  },
  totp_enabled: {
    subject: 'Una aplicación de autenticación protege ahora tu cuenta de Meridian',
    body: ['A partir de ahora, al iniciar sesión en tu cuenta de Meridian se te pedirá, después de la contraseña, un código de tu aplicación de autenticación.', 'Si no has sido tú, restablece tu contraseña de inmediato y ponte en contacto con el servicio de asistencia de Meridian.'],
  },
  totp_removed: {
    subject: 'Se ha quitado la aplicación de autenticación de tu cuenta de Meridian',
    body: ['Al iniciar sesión en tu cuenta de Meridian ya no se pedirá un código de una aplicación de autenticación.', 'Si no has sido tú, restablece tu contraseña de inmediato y ponte en contacto con el servicio de asistencia de Meridian.'],
  },
  passkey_added: {
    subject: 'Se ha añadido una llave de acceso a tu cuenta de Meridian',
    body: ['Con la llave de acceso «{passkeyName}» ahora se puede iniciar sesión en tu cuenta de Meridian.', 'Si no la has añadido tú, quítala en los ajustes de tu cuenta y ponte en contacto con el servicio de asistencia de Meridian.'],
  },
  passkey_removed: {
    subject: 'Se ha quitado una llave de acceso de tu cuenta de Meridian',
    body: ['Con la llave de acceso «{passkeyName}» ya no se puede iniciar sesión en tu cuenta de Meridian.', 'Si no la has quitado tú, restablece tu contraseña de inmediato y ponte en contacto con el servicio de asistencia de Meridian.'],
  },
  recovery_codes_generated: {
    subject: 'Nuevos códigos de recuperación para tu cuenta de Meridian',
    body: ['Se han creado nuevos códigos de recuperación para tu cuenta de Meridian; los anteriores ya no funcionan.', 'Si no has sido tú, restablece tu contraseña de inmediato y ponte en contacto con el servicio de asistencia de Meridian.'],
  },
  recovery_code_used: {
    subject: 'Se ha usado un código de recuperación de tu cuenta de Meridian',
    body: ['Alguien ha iniciado sesión en tu cuenta de Meridian con uno de tus códigos de recuperación. Ya no se podrá volver a usar.', 'Si no has sido tú, restablece tu contraseña de inmediato y ponte en contacto con el servicio de asistencia de Meridian.'],
  },
  second_factor_failed: {
    subject: 'Un inicio de sesión en tu cuenta de Meridian ha fallado en el segundo paso',
    body: ['Alguien ha introducido correctamente tu contraseña, pero el código o la llave de acceso que siguió no se ha aceptado.', 'Si no has sido tú, otra persona conoce tu contraseña: cámbiala de inmediato.'],
  },
} as const satisfies LanguageCopy;

const COPY = { en, de, fr, es };

const SUPPORTED = new Set<string>(Object.keys(COPY));

function isSupported(language: string): language is SupportedLanguage {
  return SUPPORTED.has(language);
}

/** The primary language subtag of a BCP 47 tag (`de-AT` → `de`) when we have copy for it, else English. */
export function mailLanguage(locale: string | null | undefined): SupportedLanguage {
  // `_` too, for POSIX-style tags (`de_AT`) that some clients send.
  const primary = /^\s*([a-z]{2,3})(?:[-_]|\s*$)/i.exec(locale ?? '')?.[1]?.toLowerCase();
  return primary !== undefined && isSupported(primary) ? primary : 'en';
}

export function renderMail(data: MailData, locale: string | null | undefined): RenderedMail {
  const language = mailLanguage(locale);
  const copy = COPY[language];
  switch (data.kind) {
    case 'verify_email':
      return invitation(language, copy.verify_email, {}, data.link);
    case 'account_exists':
      return invitation(language, copy.account_exists, {}, data.resetLink);
    case 'signup_pending':
      return notice(language, copy.signup_pending, {});
    case 'password_reset':
      return invitation(language, copy.password_reset, {}, data.link);
    case 'password_changed':
      return notice(language, copy.password_changed, {});
    case 'email_change_confirm':
      return invitation(language, copy.email_change_confirm, { newEmail: data.newEmail }, data.link);
    case 'email_change_requested':
      return notice(language, copy.email_change_requested, { newEmail: maskEmail(data.newEmail) });
    case 'email_changed':
      return notice(language, copy.email_changed, { newEmail: maskEmail(data.newEmail) });
    case 'passkey_added':
    case 'passkey_removed':
      return notice(language, copy[data.kind], { passkeyName: data.passkeyName });
    case 'totp_enabled':
    case 'totp_removed':
    case 'recovery_codes_generated':
    case 'recovery_code_used':
    case 'second_factor_failed':
      return notice(language, copy[data.kind], {});
  }
}

function interpolate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) throw new Error(`mail template uses an unknown placeholder {${name}}`);
    return value;
  });
}

function notice<C extends Notice>(language: SupportedLanguage, mail: C, values: Values<C['body'][number]>): RenderedMail {
  return finish(language, { subject: mail.subject, body: fill(mail.body, values), action: undefined, footer: [] });
}

function invitation<C extends Invitation>(language: SupportedLanguage, mail: C, values: Values<C['body'][number]>, link: string): RenderedMail {
  const action = { label: mail.action, link: checkedLink(link) };
  return finish(language, { subject: mail.subject, body: fill(mail.body, values), action, footer: mail.footer });
}

function fill(paragraphs: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return paragraphs.map((paragraph) => interpolate(paragraph, values));
}

function finish(language: SupportedLanguage, parts: MailParts): RenderedMail {
  const common = COPY[language];
  return { subject: parts.subject, text: plainText(common, parts), html: htmlDocument(language, common, parts), language };
}

interface MailParts {
  subject: string;
  body: readonly string[];
  action: { label: string; link: string } | undefined;
  footer: readonly string[];
}

// Links are built by this service, but a `javascript:` URL in an href would run in some clients.
function checkedLink(link: string): string {
  if (!/^https?:\/\//i.test(link)) throw new Error('mail links must be http(s) URLs');
  return link;
}

/** `jane@example.com` → `j***@example.com`: enough for the owner to recognise, not to harvest. */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const first = Array.from(email)[0];
  if (at < 1 || first === undefined) return '***';
  return `${first}***${email.slice(at)}`;
}

function plainText(common: LanguageCopy, parts: MailParts): string {
  const paragraphs = [common.greeting, ...parts.body, ...(parts.action ? [parts.action.link] : []), ...parts.footer, common.signOff];
  return `${paragraphs.join('\n\n')}\n`;
}

const STYLE = {
  paragraph: 'margin:0 0 16px',
  button:
    'display:inline-block;padding:12px 20px;border-radius:6px;background:#1f4fd1;color:#ffffff;font-weight:bold;text-decoration:none',
  fallback: 'margin:0 0 16px;font-size:14px;color:#4a4a4a',
  fallbackLink: 'color:#1f4fd1;word-break:break-all',
} as const;

function htmlDocument(language: SupportedLanguage, common: LanguageCopy, parts: MailParts): string {
  const paragraph = (text: string) => `<p style="${STYLE.paragraph}">${escapeHtml(text)}</p>`;
  const action = parts.action
    ? [
        `<p style="margin:24px 0"><a href="${escapeHtml(parts.action.link)}" style="${STYLE.button}">${escapeHtml(parts.action.label)}</a></p>`,
        `<p style="${STYLE.fallback}">${escapeHtml(common.linkFallback)}<br>` +
          `<a href="${escapeHtml(parts.action.link)}" style="${STYLE.fallbackLink}">${escapeHtml(parts.action.link)}</a></p>`,
      ]
    : [];
  const content = [common.greeting, ...parts.body].map(paragraph).concat(action, [...parts.footer, common.signOff].map(paragraph));
  return htmlEmail(language, parts.subject, content);
}
