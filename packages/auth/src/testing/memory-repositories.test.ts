import { authRepositoriesConformance } from './conformance.ts';
import { memoryAuthRepositories } from './memory-repositories.ts';

authRepositoriesConformance('memory', () => ({ repositories: memoryAuthRepositories() }));
