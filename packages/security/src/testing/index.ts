export { serviceUrl } from './services.ts';
export { fakeClock, type StoreUnderTest, storeConformance } from './store-conformance.ts';
