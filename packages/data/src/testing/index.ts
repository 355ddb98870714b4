export { ContractFailure, equal, ok, rejects } from './assert.ts';
export {
  type ContractCheck,
  type ContractContext,
  type ContractResult,
  contractContext,
  DATA_CONTRACT,
  type RunDataContractOptions,
  runDataContract,
} from './contract.ts';
export { type ContractTarget, dataContract } from './vitest.ts';
