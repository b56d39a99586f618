//! Page math for every list: requests clamped into range, labels "p/P". How many items a
//! page holds is the caller's choice, made with each request.

/// Which page of a list to fetch (from 1), and how many items a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The page asked for, counted from 1; out of range is clamped ([`Page::clamp`]).
    pub number: u32,
    /// Items on a page; at least 1.
    pub size: u32,
}

impl PageRequest {
    /// Page `number` of pages of `size` items (a size of 0 is taken as 1).
    pub const fn new(number: u32, size: u32) -> PageRequest {
        PageRequest {
            number,
            size: if size == 0 { 1 } else { size },
        }
    }
}

/// One page of a list of `total` items: which page, of how many, and what to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The page, counted from 1.
    pub number: u32,
    /// How many pages there are; at least 1, so an empty list is page 1 of 1.
    pub count: u32,
    /// How many items there are in all.
    pub total: u64,
    /// Items on a full page.
    pub size: u32,
}

impl Page {
    /// The page `requested` of a list of `total` items, clamped into range: 0 is the first
    /// page and a page past the end is the last, so an outdated button still lands.
    pub fn clamp(requested: PageRequest, total: u64) -> Page {
        let size = requested.size.max(1);
        let count = u32::try_from(total.div_ceil(u64::from(size)))
            .unwrap_or(u32::MAX)
            .max(1);
        Page {
            number: requested.number.clamp(1, count),
            count,
            total,
            size,
        }
    }

    /// How many items to skip.
    pub fn offset(self) -> u64 {
        u64::from(self.number - 1) * u64::from(self.size)
    }

    /// How many items to take.
    pub const fn limit(self) -> u32 {
        self.size
    }

    /// The page before this one, if any.
    pub fn previous(self) -> Option<u32> {
        (self.number > 1).then(|| self.number - 1)
    }

    /// The page after this one, if any.
    pub fn next(self) -> Option<u32> {
        (self.number < self.count).then(|| self.number + 1)
    }

    /// The label `p/P`.
    pub fn label(self) -> String {
        format!("{}/{}", self.number, self.count)
    }
}

/// One page of items and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    /// The page these items are.
    pub page: Page,
    /// At most [`Page::size`] items.
    pub items: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(requested: u32, total: u64, expected: (u32, u32, u64, Option<u32>, Option<u32>)) {
        let page = Page::clamp(PageRequest::new(requested, 5), total);
        let got = (
            page.number,
            page.count,
            page.offset(),
            page.previous(),
            page.next(),
        );
        assert_eq!(got, expected, "page {requested} of {total} items");
        assert_eq!(page.label(), format!("{}/{}", expected.0, expected.1));
    }

    #[test]
    fn pages_are_clamped_and_counted() {
        check(1, 0, (1, 1, 0, None, None));
        check(3, 0, (1, 1, 0, None, None));
        check(1, 5, (1, 1, 0, None, None));
        check(1, 6, (1, 2, 0, None, Some(2)));
        check(2, 6, (2, 2, 5, Some(1), None));
        check(0, 6, (1, 2, 0, None, Some(2)));
        check(9, 11, (3, 3, 10, Some(2), None));
        check(2, 11, (2, 3, 5, Some(1), Some(3)));
        check(u32::MAX, 7, (2, 2, 5, Some(1), None));
    }

    #[test]
    fn the_page_size_is_the_requests() {
        let page = Page::clamp(PageRequest::new(3, 2), 5);
        assert_eq!(
            (page.number, page.count, page.offset(), page.limit()),
            (3, 3, 4, 2)
        );
        let page = Page::clamp(PageRequest::new(2, 0), 2);
        assert_eq!(
            (page.size, page.count, page.offset()),
            (1, 2, 1),
            "size 0 is 1"
        );
    }
}
