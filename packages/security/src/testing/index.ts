export { serviceUrl } from './services.ts';
