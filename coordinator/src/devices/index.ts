// Every device model registers itself on import; add new devices here.
import './test-finisher.js';
import './uart.js';
import './plic.js';
