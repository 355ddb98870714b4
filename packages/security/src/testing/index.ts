export { serviceUrl } from './services.ts';
export { fakeClock, type StoreUnderTest, storeConformance, unavailableStore } from './store-conformance.ts';
