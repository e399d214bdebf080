/**
 * The one place the diff tests reach the simulator (it is moving from src/simulator/ to
 * simulator/: only this import needs to follow it).
 */
export { NetconfSimulator, DEMO_CONFIG, DEMO_MODULES } from '../../src/simulator';
