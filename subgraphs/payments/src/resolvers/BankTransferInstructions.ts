import { money } from '@meridian/money';
import type { BankTransferInstructionsResolvers } from '../__generated__/resolvers-types.js';

export const BankTransferInstructions: BankTransferInstructionsResolvers = {
  amount: (instructions) => money(instructions.amountMinor, instructions.currency),
};
