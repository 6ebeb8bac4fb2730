// The pages' view of audience measurement: null when it is off (see config/suivi.mjs).
import { suivi } from "../../config/suivi.mjs";

export default suivi();
