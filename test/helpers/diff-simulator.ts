/**
 * The one place the diff tests reach the simulator (it is moved from src/simulator/ to
 * simulator/: only this import needs to follow it).
 */
export { NetconfSimulator, DEMO_CONFIG, DEMO_MODULES } from '../../simulator';
