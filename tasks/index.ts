// The operator's command line: one file per service. Actions import the SDK lazily, so tasks load before compile.
import "./platform";
import "./identity";
import "./credential";
import "./disclosure";
import "./invoice";
import "./agreement";
