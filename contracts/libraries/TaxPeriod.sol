// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @title TaxPeriod
 * @notice The tax period (yyyymm) of a unix time in a fixed time zone, by the days-to-civil-date algorithm of
 * Howard Hinnant (proleptic Gregorian calendar, exact for every date after 1970).
 */
library TaxPeriod {
    function periodOf(uint256 timestamp, int32 offsetSeconds) internal pure returns (uint32) {
        int256 local = int256(timestamp) + offsetSeconds;
        if (local < 0) local = 0;
        uint256 z = uint256(local) / 1 days + 719468;
        uint256 era = z / 146097;
        uint256 doe = z - era * 146097;
        uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        uint256 mp = (5 * doy + 2) / 153;
        uint256 month = mp < 10 ? mp + 3 : mp - 9;
        uint256 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return uint32(year * 100 + month);
    }
}
