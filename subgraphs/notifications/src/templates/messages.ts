import type { NotificationKind } from '../feed/order-event.rules.js';

/** The languages messages are written in: the demo shop's (`DEMO_LOCALES`); any other falls back to English. */
export const MESSAGE_LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

type KindMessages = Record<`${NotificationKind}.${'subject' | 'body'}`, string>;
export type MessageCatalog = KindMessages & { greeting: string; footer: string; signOff: string };

/**
 * ICU MessageFormat texts (https://unicode-org.github.io/icu/userguide/format_parse/messages/), one catalog per
 * language. Arguments: `number` (the order number), `name` (the shipping address's recipient), `items` (units),
 * `total` and `refunded` (money, already formatted for the language), `full` (`yes` for a full refund).
 * Typographic apostrophes only: a straight one quotes in ICU.
 */
export const CATALOGS: Readonly<Record<MessageLanguage, MessageCatalog>> = {
  en: {
    greeting: 'Hello {name},',
    'order_confirmation.subject': 'Your order {number}',
    'order_confirmation.body': 'Thank you for your order {number}: {items, plural, one {# item} other {# items}} for {total}. We will let you know as soon as your payment has arrived.',
    'payment_received.subject': 'Payment received for order {number}',
    'payment_received.body': 'We have received your payment of {total} for order {number} and are preparing your parcel.',
    'shipped.subject': 'Your order {number} is on its way',
    'shipped.body': 'Your order {number} has been handed to the carrier.',
    'refunded.subject': '{full, select, yes {Order {number} refunded} other {Partial refund for order {number}}}',
    'refunded.body': '{full, select, yes {We have refunded your order {number} in full ({refunded}).} other {We have refunded {refunded} of your order {number}.}} The money goes back the way you paid.',
    'cancelled.subject': 'Order {number} cancelled',
    'cancelled.body': 'Your order {number} has been cancelled. Anything you paid for it will be refunded.',
    footer: 'You receive this e-mail because an order was placed with this address at Meridian.',
    signOff: 'Your Meridian team',
  },
  de: {
    greeting: 'Hallo {name},',
    'order_confirmation.subject': 'Ihre Bestellung {number}',
    'order_confirmation.body': 'Vielen Dank für Ihre Bestellung {number}: {items, plural, one {# Artikel} other {# Artikel}} für {total}. Wir melden uns, sobald Ihre Zahlung eingegangen ist.',
    'payment_received.subject': 'Zahlung für Bestellung {number} erhalten',
    'payment_received.body': 'Wir haben Ihre Zahlung über {total} für die Bestellung {number} erhalten und bereiten Ihr Paket vor.',
    'shipped.subject': 'Ihre Bestellung {number} ist unterwegs',
    'shipped.body': 'Ihre Bestellung {number} wurde dem Versanddienst übergeben.',
    'refunded.subject': '{full, select, yes {Bestellung {number} erstattet} other {Teilerstattung für Bestellung {number}}}',
    'refunded.body': '{full, select, yes {Wir haben Ihre Bestellung {number} vollständig erstattet ({refunded}).} other {Wir haben Ihnen {refunded} Ihrer Bestellung {number} erstattet.}} Das Geld geht auf dem Weg zurück, auf dem Sie bezahlt haben.',
    'cancelled.subject': 'Bestellung {number} storniert',
    'cancelled.body': 'Ihre Bestellung {number} wurde storniert. Bereits Bezahltes wird Ihnen erstattet.',
    footer: 'Sie erhalten diese E-Mail, weil mit dieser Adresse bei Meridian bestellt wurde.',
    signOff: 'Ihr Meridian-Team',
  },
  fr: {
    greeting: 'Bonjour {name},',
    'order_confirmation.subject': 'Votre commande {number}',
    'order_confirmation.body': 'Merci pour votre commande {number} : {items, plural, one {# article} other {# articles}} pour {total}. Nous vous écrirons dès réception de votre paiement.',
    'payment_received.subject': 'Paiement reçu pour la commande {number}',
    'payment_received.body': 'Nous avons reçu votre paiement de {total} pour la commande {number} et préparons votre colis.',
    'shipped.subject': 'Votre commande {number} est en route',
    'shipped.body': 'Votre commande {number} a été remise au transporteur.',
    'refunded.subject': '{full, select, yes {Commande {number} remboursée} other {Remboursement partiel de la commande {number}}}',
    'refunded.body': '{full, select, yes {Nous avons remboursé intégralement votre commande {number} ({refunded}).} other {Nous vous avons remboursé {refunded} sur votre commande {number}.}} L’argent vous revient par le moyen de paiement utilisé.',
    'cancelled.subject': 'Commande {number} annulée',
    'cancelled.body': 'Votre commande {number} a été annulée. Tout montant payé vous sera remboursé.',
    footer: 'Vous recevez cet e-mail parce qu’une commande a été passée avec cette adresse chez Meridian.',
    signOff: 'L’équipe Meridian',
  },
  es: {
    greeting: 'Hola, {name}:',
    'order_confirmation.subject': 'Tu pedido {number}',
    'order_confirmation.body': 'Gracias por tu pedido {number}: {items, plural, one {# artículo} other {# artículos}} por {total}. Te avisaremos en cuanto recibamos tu pago.',
    'payment_received.subject': 'Pago recibido del pedido {number}',
    'payment_received.body': 'Hemos recibido tu pago de {total} del pedido {number} y estamos preparando tu paquete.',
    'shipped.subject': 'Tu pedido {number} está en camino',
    'shipped.body': 'Tu pedido {number} se ha entregado al transportista.',
    'refunded.subject': '{full, select, yes {Pedido {number} reembolsado} other {Reembolso parcial del pedido {number}}}',
    'refunded.body': '{full, select, yes {Hemos reembolsado tu pedido {number} por completo ({refunded}).} other {Te hemos reembolsado {refunded} de tu pedido {number}.}} El dinero vuelve por el mismo medio con el que pagaste.',
    'cancelled.subject': 'Pedido {number} cancelado',
    'cancelled.body': 'Tu pedido {number} se ha cancelado. Te reembolsaremos lo que hayas pagado.',
    footer: 'Recibes este correo porque se hizo un pedido con esta dirección en Meridian.',
    signOff: 'El equipo de Meridian',
  },
};
