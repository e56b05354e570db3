// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @title StatusBitmap
 * @notice Status bits, 256 per storage word (credential revocations and suspensions, documents revoked inside a
 * disclosure batch). An update takes strictly increasing indices, so a cluster of up to 256 costs one storage
 * write, and the caller hears of every word it touched to emit its own event.
 */
library StatusBitmap {
    /// @notice An update needs at least one index.
    error StatusBitmapEmpty();

    /// @notice Indices must be strictly increasing; `position` breaks the order.
    error StatusBitmapUnsortedIndices(uint256 position);

    /// @dev Sets (`set`) or clears the bits of `indices`, then calls `touched(context, word, bits)` once per word
    /// written (`context` is the caller's, e.g. the batch the bits belong to).
    function update(
        mapping(uint256 => uint256) storage words,
        uint256[] calldata indices,
        bool set,
        bytes32 context,
        function(bytes32, uint256, uint256) internal touched
    ) internal {
        uint256 count = indices.length;
        if (count == 0) revert StatusBitmapEmpty();
        uint256 word = indices[0] >> 8;
        uint256 mask = 0;
        uint256 previous = 0;
        for (uint256 i = 0; i < count; ++i) {
            uint256 index = indices[i];
            if (i > 0 && index <= previous) revert StatusBitmapUnsortedIndices(i);
            previous = index;
            if (index >> 8 != word) {
                _write(words, word, mask, set, context, touched);
                word = index >> 8;
                mask = 0;
            }
            mask |= 1 << (index & 0xff);
        }
        _write(words, word, mask, set, context, touched);
    }

    function isSet(mapping(uint256 => uint256) storage words, uint256 index) internal view returns (bool) {
        return (words[index >> 8] >> (index & 0xff)) & 1 == 1;
    }

    function _write(
        mapping(uint256 => uint256) storage words,
        uint256 word,
        uint256 mask,
        bool set,
        bytes32 context,
        function(bytes32, uint256, uint256) internal touched
    ) private {
        uint256 bits = set ? words[word] | mask : words[word] & ~mask;
        words[word] = bits;
        touched(context, word, bits);
    }
}
